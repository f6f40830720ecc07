// "Insert a picture" beside an article's body: the image library in a dialog, searched,
// paged and uploaded to, whose choice goes into the body as an "[image:n]" line at the
// cursor. Dropping or pasting a picture file into the body opens the upload form with it.
//
// The dialog shows the chooser's own admin pages (images/views.py), fetched with a header
// that asks for their content only; without JavaScript they are pages of their own.
(function () {
  "use strict";

  var script = document.currentScript;
  var CHOOSER_URL = script && script.dataset.chooserUrl;
  var UPLOAD_URL = script && script.dataset.uploadUrl;
  var FRAGMENT_HEADER = { "X-Image-Chooser": "fragment" };
  var ALT_TEXT_MISSING = "Describe the picture for people who cannot see it.";

  function setUp() {
    var textarea = document.getElementById("id_body");
    if (!textarea || textarea.readOnly || textarea.disabled || !CHOOSER_URL || !UPLOAD_URL) {
      return;
    }
    var chooser = makeChooser(textarea);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "image-chooser-open";
    button.textContent = "Insert a picture";
    button.setAttribute("aria-haspopup", "dialog");
    button.addEventListener("click", function () {
      chooser.open(button, CHOOSER_URL);
    });
    placeButton(button, textarea);
    // A toolbar made by a script that runs after this one joins in once the page is loaded.
    window.addEventListener("load", function () {
      placeButton(button, textarea);
    });

    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }
    });
    textarea.addEventListener("drop", function (event) {
      var file = firstFile(event.dataTransfer);
      if (file) {
        event.preventDefault();
        chooser.openUpload(textarea, file);
      }
    });
    textarea.addEventListener("paste", function (event) {
      var file = firstFile(event.clipboardData);
      if (file) {
        event.preventDefault();
        chooser.openUpload(textarea, file);
      }
    });
  }

  function placeButton(button, textarea) {
    var toolbar = document.querySelector('.editor-toolbar[data-for="' + textarea.id + '"]');
    if (toolbar) {
      if (button.parentNode !== toolbar) {
        button.classList.add("editor-toolbar__button"); // looks like its neighbours there
        toolbar.appendChild(button);
      }
    } else if (!button.parentNode) {
      textarea.parentNode.insertBefore(button, textarea);
    }
  }

  function firstFile(dataTransfer) {
    return dataTransfer && dataTransfer.files && dataTransfer.files.length ? dataTransfer.files[0] : null;
  }

  // "[image:n]" as a paragraph of its own where the cursor is (or over the selection), with
  // the blank lines Markdown needs around it; then what listens to the body hears of it.
  function insertCode(textarea, code) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    var lead = "\n\n";
    if (before === "" || /\n\n$/.test(before)) {
      lead = "";
    } else if (/\n$/.test(before)) {
      lead = "\n";
    }
    var trail = "\n\n";
    if (/^\n\n/.test(after)) {
      trail = "";
    } else if (/^\n/.test(after)) {
      trail = "\n";
    }
    textarea.focus();
    textarea.setRangeText(lead + code + trail, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function makeChooser(textarea) {
    var dialog = document.createElement("dialog");
    dialog.className = "image-chooser-dialog";
    dialog.setAttribute("aria-labelledby", "image-chooser-title");
    var header = document.createElement("div");
    header.className = "image-chooser-dialog__header";
    var title = document.createElement("h2");
    title.id = "image-chooser-title";
    title.textContent = "Insert a picture";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "image-chooser__button image-chooser-dialog__close";
    close.textContent = "Close";
    close.addEventListener("click", function () {
      dialog.close();
    });
    header.append(title, close);
    var body = document.createElement("div");
    body.className = "image-chooser-dialog__body";
    dialog.append(header, body);
    // Outside the article's form: the chooser's own forms cannot be nested in it.
    document.body.appendChild(dialog);

    var returnTo = null;
    var file = null; // the picture being uploaded, kept while its form is corrected

    dialog.addEventListener("close", function () {
      body.replaceChildren();
      file = null;
      if (returnTo) {
        returnTo.focus();
      }
    });

    function show(opener) {
      returnTo = opener;
      if (!dialog.open) {
        dialog.showModal();
      }
    }

    function status(message) {
      var paragraph = document.createElement("p");
      paragraph.className = "image-chooser__status";
      paragraph.setAttribute("role", "status");
      paragraph.textContent = message;
      body.replaceChildren(paragraph);
    }

    function load(url, options, then) {
      status("Loading the library…");
      fetch(url, Object.assign({ headers: FRAGMENT_HEADER, credentials: "same-origin" }, options))
        .then(function (response) {
          // A refused save (503) still answers with the form and its message: show it.
          if (!response.ok && response.headers.get("X-Image-Chooser") !== "fragment") {
            throw new Error("The library could not be opened (error " + response.status + ").");
          }
          if (response.redirected && /\/login\//.test(response.url)) {
            throw new Error("You are signed out. Sign in again in another tab, then try once more.");
          }
          return response.text();
        })
        .then(function (html) {
          body.innerHTML = html; // our own admin page's content, escaped by its templates
          var chosen = body.querySelector("[data-image-code]:not(button)");
          if (chosen) {
            choose(chosen.dataset.imageCode);
            return;
          }
          prepare();
          if (then) {
            then();
          }
        })
        .catch(function (error) {
          status(error.message);
          close.focus();
        });
    }

    function choose(code) {
      returnTo = null;
      dialog.close();
      insertCode(textarea, code);
    }

    function prepare() {
      var upload = body.querySelector('input[type="file"]');
      var altText = body.querySelector('[data-field="alt_text"] input');
      if (upload && file && !body.querySelector('[data-field="upload"] .errorlist')) {
        var transfer = new DataTransfer();
        transfer.items.add(file);
        upload.files = transfer.files;
      }
      if (altText) {
        altText.addEventListener("invalid", function () {
          altText.setCustomValidity(altText.validity.valueMissing ? ALT_TEXT_MISSING : "");
        });
        altText.addEventListener("input", function () {
          altText.setCustomValidity("");
        });
      }
    }

    function focusFirst(selectors) {
      for (var i = 0; i < selectors.length; i++) {
        var element = body.querySelector(selectors[i]);
        if (element) {
          element.focus();
          return;
        }
      }
    }

    body.addEventListener("click", function (event) {
      var choice = event.target.closest("button[data-image-code]");
      if (choice) {
        choose(choice.dataset.imageCode);
        return;
      }
      var link = event.target.closest("a[data-chooser-link]");
      if (link) {
        event.preventDefault();
        load(link.href, {}, function () {
          focusFirst(['input[type="file"]', ".image-chooser__choose", "#image-chooser-q"]);
        });
      }
    });

    body.addEventListener("submit", function (event) {
      var form = event.target;
      event.preventDefault();
      if (form.method.toLowerCase() === "post") {
        var upload = form.querySelector('input[type="file"]');
        file = upload && upload.files.length ? upload.files[0] : null;
        load(form.action, { method: "POST", body: new FormData(form) }, function () {
          focusFirst([".image-chooser__field--error input", '[data-field="alt_text"] input']);
        });
      } else {
        var query = new URLSearchParams(new FormData(form)).toString();
        load(form.action + "?" + query, {}, function () {
          focusFirst(["#image-chooser-q"]);
        });
      }
    });

    return {
      open: function (opener, url) {
        show(opener);
        load(url, {}, function () {
          focusFirst(["#image-chooser-q"]);
        });
      },
      openUpload: function (opener, dropped) {
        show(opener);
        file = dropped;
        load(UPLOAD_URL, {}, function () {
          focusFirst(['[data-field="alt_text"] input']);
        });
      },
    };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
