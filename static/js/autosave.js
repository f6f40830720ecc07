/*
 * Autosave of the article form (articles.editorial.autosave). While the text changes, what is
 * typed is posted a few seconds after the last keystroke, and at least every 15 seconds while
 * typing goes on; and again when the page is hidden or left. The draft is private: only its
 * writer sees it, offered on opening the form again. The form works the same without this.
 *
 * Each field's own `input` events are listened to (not the form's): other scripts that insert
 * text (a toolbar, the image chooser) fire an `input` event on the field, bubbling or not.
 */
(function () {
  "use strict";

  var QUIET_MS = 5000; // after the last keystroke
  var MAX_WAIT_MS = 15000; // while typing goes on

  function start() {
    var config = document.getElementById("autosave");
    var form = config && config.closest("form");
    if (!form) {
      return;
    }
    var url = config.getAttribute("data-autosave-url");
    var fields = config
      .getAttribute("data-autosave-fields")
      .split(" ")
      .map(function (name) {
        return form.elements.namedItem(name);
      })
      .filter(function (field) {
        return field && (field.tagName === "INPUT" || field.tagName === "TEXTAREA");
      });
    if (!fields.length) {
      return;
    }

    // The status line, made now and kept, so that its text changing moves nothing.
    var status = document.createElement("p");
    status.className = "autosave-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var buttons = form.querySelector(".submit-row");
    if (buttons) {
      buttons.parentNode.insertBefore(status, buttons);
    } else {
      form.appendChild(status);
    }

    function values() {
      var data = {};
      fields.forEach(function (field) {
        data[field.name] = field.value;
      });
      return JSON.stringify(data);
    }

    var lastSaved = values(); // what the page opened with counts as kept
    var timer = null;
    var firstChange = 0;
    var sending = false;
    var again = false;
    var submitting = false;

    function payload() {
      var data = new URLSearchParams();
      var token = form.elements.namedItem("csrfmiddlewaretoken");
      var version = form.elements.namedItem("loaded_version");
      data.append("csrfmiddlewaretoken", token ? token.value : "");
      data.append("loaded_version", version ? version.value : "");
      fields.forEach(function (field) {
        data.append(field.name, field.value);
      });
      return data;
    }

    function failed(response) {
      if (response && response.status === 413) {
        return "Draft not saved: the text is too long to keep as a draft. Save the article.";
      }
      if (response && response.status === 403) {
        return "Draft not saved: you cannot change this text here.";
      }
      return "Draft not saved: the site did not answer. Your text is still here.";
    }

    function save(leaving) {
      clearTimeout(timer);
      timer = null;
      firstChange = 0;
      var current = values();
      if (submitting || current === lastSaved) {
        return;
      }
      if (sending && !leaving) {
        again = true; // once this one is answered
        return;
      }
      sending = true;
      var request;
      try {
        request = fetch(url, {
          method: "POST",
          body: payload(),
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          keepalive: Boolean(leaving), // so that it goes out even as the page is left
        });
      } catch (error) {
        request = Promise.reject(error);
      }
      request
        .then(function (response) {
          if (!response.ok) {
            throw response;
          }
          return response.json();
        })
        .then(function (answer) {
          lastSaved = current;
          status.textContent = answer.status;
        })
        .catch(function (response) {
          status.textContent = failed(response);
        })
        .then(function () {
          sending = false;
          if (again) {
            again = false;
            save(false);
          }
        });
    }

    function changed() {
      if (submitting) {
        return;
      }
      var now = Date.now();
      firstChange = firstChange || now;
      clearTimeout(timer);
      timer = setTimeout(save, Math.min(QUIET_MS, Math.max(0, firstChange + MAX_WAIT_MS - now)));
    }

    fields.forEach(function (field) {
      field.addEventListener("input", changed);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        save(true);
      }
    });
    window.addEventListener("pagehide", function () {
      save(true);
    });
    // Saving (or discarding) the form: no draft may come after it.
    form.addEventListener("submit", function (event) {
      submitting = true;
      clearTimeout(timer);
      setTimeout(function () {
        // Another script stopped the submission: the page stays, and so does autosave.
        if (event.defaultPrevented) {
          submitting = false;
        }
      }, 0);
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        submitting = false; // back from the browser's cache, the form open again
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
