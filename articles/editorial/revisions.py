"""An article's revisions (django-reversion versions) as an editor reads them: any two side
by side (rendered by articles.editorial.compare, as a pending version's changes are), and
one brought back.

A revision holds the article's fields and, as revisions follow them (the registration in
articles.models), its sources and the links to its tags. Revisions made before they did
have no fingerprint (`content_hash`): their sources and tags are "not recorded", and
restoring one leaves the article's sources and tags as they are.
"""

from datetime import date, datetime
from typing import Any

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Field, QuerySet
from django.utils import formats, timezone
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from accounts.models import User

from ..models import Article, Reference
from . import workflow
from .compare import Change, compare_contents, compare_value
from .content import CONTENT_FIELDS, REFERENCE_FIELDS, refresh_content_hash

# Fields a revision compare leaves out: bookkeeping that changes on every save.
UNCOMPARED_FIELDS = {"id", "created_at", "updated_at", "content_hash"}
# Of a source, what a restore writes back: what editors typed (not the link checks).
RESTORED_SOURCE_FIELDS = (*REFERENCE_FIELDS, "accessed_on")


def records_sources_and_tags(version: Version) -> bool:
    """Whether the revision keeps the article's sources and tags: those made before
    revisions followed them have no fingerprint (nor has a version's very first revision,
    saved before its sources and tags were copied to it)."""
    return bool(version.field_dict.get("content_hash"))


def pick_versions(
    versions: "QuerySet[Version]", *, old: str | None, new: str | None
) -> tuple[Version, Version] | None:
    """The two revisions to compare, from `versions` (an article's, newest first): those
    asked for by id, else the newest and the one before it. None when there is none, or an
    id is not one of them. At most two queries, whatever the number of revisions."""
    try:
        wanted = {int(pk) for pk in (old, new) if pk is not None}
    except ValueError:
        return None
    found = versions.in_bulk(wanted) if wanted else {}
    if len(found) != len(wanted):
        return None
    newest = found[int(new)] if new is not None else versions.first()
    if newest is None:
        return None
    if old is not None:
        return found[int(old)], newest
    return versions.filter(pk__lt=newest.pk).first() or newest, newest


def compare_versions(old: Version, new: Version) -> list[Change]:
    """What differs between two revisions of an article, field by field: its text, filing,
    sources and tags (as a pending version is compared with its live article), then the
    other fields a revision keeps (status, publish time, review...). A fixed number of
    queries, whatever the revisions hold."""
    contents = _contents([old, new])
    changes = compare_contents(contents[old.pk]["content"], contents[new.pk]["content"])
    return changes + _other_changes(old.field_dict, new.field_dict)


def restore_version(*, article: Article, version: Version, by: User) -> None:
    """Bring back a revision's text and filing (workflow.restore_revision, which checks who
    may) and the sources and tags it recorded, as one new revision, in one transaction. The
    status, publish time and review stay as they are."""
    recorded = _contents([version])[version.pk]
    with transaction.atomic(), reversion.create_revision():
        workflow.restore_revision(article=article, version=version, by=by)
        if recorded["content"]["tags"] is not None:
            # Tag links refresh search by themselves (articles.tags).
            article.tags.set(list(Tag.objects.filter(pk__in=recorded["tag_ids"])))
        if recorded["sources"] is not None:
            _restore_sources(article=article, sources=recorded["sources"])
        refresh_content_hash(article)
        keep_in_revision(article)


def keep_in_revision(article: Article) -> None:
    """Add the article to the revision being made once its sources, tags and fingerprint
    are saved (after the article itself): the revision then holds them as they end up."""
    if reversion.is_active():
        reversion.add_to_revision(article)


def _contents(versions: list[Version]) -> dict[int, dict[str, Any]]:
    """For each article version (by id): its content as content_of() gives an article's,
    with None for sources and tags it did not record; and for a restore, the sources as
    stored and the ids of the tags. Two queries: the sources and tag links of the versions'
    revisions, and the tags' names."""
    article_type = ContentType.objects.get_for_model(Article)
    link_type = ContentType.objects.get_for_model(TaggedItem)
    reference_type = ContentType.objects.get_for_model(Reference)
    companions = list(
        Version.objects.filter(
            revision_id__in={version.revision_id for version in versions},
            content_type_id__in=[link_type.pk, reference_type.pk],
        )
    )
    tag_names = dict(
        Tag.objects.filter(
            pk__in={
                version.field_dict["tag_id"]
                for version in companions
                if version.content_type_id == link_type.pk
            }
        ).values_list("pk", "name")
    )
    contents = {}
    for version in versions:
        fields = version.field_dict
        article_id = int(version.object_id)
        recorded = records_sources_and_tags(version)
        own = [other for other in companions if other.revision_id == version.revision_id]
        tag_ids = [
            link.field_dict["tag_id"]
            for link in own
            if link.content_type_id == link_type.pk
            and link.field_dict["content_type_id"] == article_type.pk
            and link.field_dict["object_id"] == article_id
        ]
        sources = sorted(
            (
                source.field_dict
                for source in own
                if source.content_type_id == reference_type.pk
                and source.field_dict["article_id"] == article_id
            ),
            key=lambda source: source["number"],
        )
        content = {name: fields.get(name) for name in CONTENT_FIELDS}
        content["tags"] = (
            sorted(tag_names.get(pk, f"(deleted tag, id {pk})") for pk in tag_ids)
            if recorded
            else None
        )
        content["references"] = (
            [{name: source.get(name) for name in REFERENCE_FIELDS} for source in sources]
            if recorded
            else None
        )
        contents[version.pk] = {
            "content": content,
            "tag_ids": [pk for pk in tag_ids if pk in tag_names],
            "sources": sources if recorded else None,
        }
    return contents


def _restore_sources(*, article: Article, sources: list[dict[str, Any]]) -> None:
    """Give the article the recorded sources, by number: one that did not change keeps its
    row and its link check; one whose address changed is checked again."""
    current = {reference.number: reference for reference in article.references.all()}
    article.references.exclude(number__in=[source["number"] for source in sources]).delete()
    for source in sources:
        reference = current.get(source["number"]) or Reference(article=article)
        values = {name: source.get(name) for name in RESTORED_SOURCE_FIELDS}
        for name in ("publisher", "doi", "pubmed_id"):
            values[name] = values[name] or ""
        if reference.pk and all(getattr(reference, k) == v for k, v in values.items()):
            continue
        if reference.pk and reference.url != values["url"]:
            reference.checked_at, reference.link_ok, reference.check_result = None, None, ""
        for name, value in values.items():
            setattr(reference, name, value)
        reference.save()


def _other_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """The fields beyond the content that differ, in the model's order, with names in
    place of ids: one query per kind of thing named (people, articles), at most."""
    names = [
        name
        for name in after
        if name not in UNCOMPARED_FIELDS
        and name not in CONTENT_FIELDS
        and before.get(name) != after.get(name)
    ]
    fields: dict[str, Field] = {}
    for name in names:
        field = Article._meta.get_field(name.removesuffix("_id"))
        # A revision holds the article's own fields, never a relation pointing at it.
        assert isinstance(field, Field)
        fields[name] = field
    wanted: dict[type[models.Model], set[Any]] = {}
    for name, field in fields.items():
        if field.is_relation and field.related_model is not None:
            ids = {before.get(name), after.get(name)} - {None}
            wanted.setdefault(field.related_model, set()).update(ids)
    related = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}
    return [
        compare_value(
            str(field.verbose_name).capitalize(),
            _shown(field, before.get(name), related),
            _shown(field, after.get(name), related),
        )
        for name, field in fields.items()
    ]


def _shown(
    field: Field, value: object, related: dict[type[models.Model], dict[Any, models.Model]]
) -> str | None:
    """A stored value as an editor knows it: a name rather than an id, "Yes" rather than
    True, the label of a choice, a date as the admin writes it. None: no value."""
    if value is None or value == "":
        return None
    if field.is_relation and field.related_model is not None:
        thing = related.get(field.related_model, {}).get(value)
        return str(thing) if thing is not None else f"(deleted, id {value})"
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)
