from django.db import migrations

from articles.markdown import render_markdown

# The six site pages exist from the start, since every page's footer links to them; editors
# change their words in the admin. A page that exists already is left as it is.
PAGES = [
    (
        "about",
        "About us",
        """healthsite shares clear, general information about health and recovery: what a
condition is, what helps people get better, and what to ask a doctor.

Our articles are written by people who know the subject, and articles about medical topics
are checked by a medical reviewer before they go out.

We are not a clinic. We cannot give advice about you. For that, talk to a doctor, nurse
or therapist who knows you.
""",
    ),
    (
        "editorial-policy",
        "How we write and review our content",
        """## Who writes

Each article names its author. Their page says what they know and what they have written.

## Sources

We use good sources: research, health services and medical guidelines. An article lists its
sources at the end. A number like [1] in the text points to the source it comes from.

## Medical review

Articles about medical topics are checked by a medical reviewer before they are published.
When someone changes what such an article says, a medical reviewer approves the change
before readers see it. Small fixes, like a spelling mistake, go out without a review.

Each reviewed article shows who reviewed it and when.

## Keeping articles up to date

We look at reviewed articles again from time to time, and sooner when the advice changes.
Each article shows the date it was last reviewed and a list of its changes, so you can see
what changed and when.

## Mistakes

If you find a mistake, please [tell us](/contact/). We check it and fix the article.
""",
    ),
    (
        "contact",
        "Contact us",
        """You can write to the editors at **editors@example.org**. This is an example address:
the people who run this site put their own here.

Write to us if you find a mistake in an article, have a problem using the site, or want
a comment looked at.

We cannot answer questions about your own health. If you are worried, talk to your doctor.
In an emergency, call your local emergency number.
""",
    ),
    (
        "privacy",
        "Privacy",
        """## What we keep

- **Your account**, if you make one: your user name, your email address, your password
  (stored so that nobody can read it) and what you choose to put on your profile.
- **Your comments**, and reports about comments.
- **Your feedback answers**: when you say whether an article helped you, and anything you
  write with it.

## What we do not do

- We use no trackers or adverts from other companies.
- We do not sell or share what we keep.

## Cookies

We only use the cookies the site needs to work, such as the one that keeps you signed in.

## Questions

To ask what we keep about you, or to have it removed, [contact us](/contact/).
""",
    ),
    (
        "accessibility",
        "Accessibility statement",
        """We want everyone to be able to read and use this site.

## What we do

- Every button and link outside the text is at least 44 by 44 pixels, so it is easy to tap.
- Pages fit a screen 320 pixels wide without scrolling sideways, and work when you zoom in.
- Every page works without JavaScript.
- We check that our pages are valid HTML.

## Tell us about a problem

If something on the site is hard to use, please [contact us](/contact/). Say which page it
was and what went wrong. We will try to fix it.
""",
    ),
    (
        "terms",
        "Terms of use",
        """## General information only

What you read here is general information about health. It is not medical advice, and it
cannot take the place of a doctor, nurse or therapist who knows you.

Do not stop or change a treatment because of something you read here without asking your
doctor first. In an emergency, call your local emergency number.

## Comments

Be kind and stay on topic. We may remove comments that break these rules.

## Our words

The articles on this site are ours. Please link to them rather than copy them.
""",
    ),
]


def create_pages(apps, schema_editor):
    db = schema_editor.connection.alias
    SitePage = apps.get_model("pages", "SitePage")
    for slug, title, body in PAGES:
        SitePage.objects.using(db).get_or_create(
            slug=slug, defaults={"title": title, "body": body, "body_html": render_markdown(body)}
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_roles")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
