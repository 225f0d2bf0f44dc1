"""Comments on a draft: an invited mission tells the penholder why a version should change.

A comment is drafting conversation, not a fact about the letter: it is not on the public log,
never public, and not in bundles. Who reads what:
- the penholder's members read every comment;
- an invited organisation's members (viewers too) read their own organisation's comments and the
  penholder's, and every invitee's once the penholder shares them (off until switched on);
- nobody else, the addressee included, reads any.
Invited organisations' signers and drafters, and the penholder's drafters, may comment while the
letter can still change (the states in which a new version may be written).
Those who may read a new comment hear of it by mail (letters.notify, the "comments" kind).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, Invalid
from letters import access, limits, queries, states
from letters.actions.common import Outcome, after_commit
from letters.actions.inputs import clean_text, is_whole_number
from letters.models import Comment, CommentSharing, Letter
from orgs.actors import actor_of
from orgs.models import ROLE_DRAFTER, ROLE_SIGNER


def add_comment(actor, letter_id, *, version, body) -> Outcome[Comment]:
    """The actor's comment on a version; the same comment sent again answers with the first one."""
    actor = actor_of(actor)
    letter = queries.letter_for(actor, letter_id)
    organisation_id = _commenting_organisation(actor, letter)
    body = clean_text(body, "body", limits.COMMENT)
    if letter.status not in states.EDITABLE:
        raise Conflict(
            _("The letter is %(status)s: its text can no longer change, so it takes no more comments.")
            % {"status": letter.get_status_display()},
            code="illegal_state",
        )
    commented = queries.version_of(letter, version if is_whole_number(version) else None)
    with transaction.atomic():
        earlier = Comment.objects.filter(letter=letter, version=commented, author=actor.user, body=body).first()
        if earlier is not None:
            return Outcome(earlier, False)
        comment = Comment.objects.create(
            letter=letter,
            version=commented,
            organisation_id=organisation_id,
            author=actor.user,
            body=body,
            created_at=timezone.now(),
        )
        # Mail only once the comment is stored: the penholder hears of an invitee's comment,
        # the invitees of the penholder's (letters.notify decides who may read it).
        after_commit("commented", comment.id)
    return Outcome(comment, True)


def _commenting_organisation(actor, letter: Letter) -> int:
    """The organisation the actor comments for: an invited one where they sign or draft, else the
    penholder where they draft. Viewers read but do not comment."""
    invited = sorted(access.invited_organisations_of(actor, letter))
    for organisation_id in invited:
        if actor.has_role(organisation_id, ROLE_SIGNER) or actor.has_role(organisation_id, ROLE_DRAFTER):
            return organisation_id
    if access.is_penholder_drafter(actor, letter):
        return letter.penholder_id
    raise Forbidden(
        _("Only the signers and drafters of an invited organisation, and the penholder's drafters, may comment.")
    )


def comments_for(actor, letter: Letter) -> list[Comment]:
    """The comments the actor may read, oldest first (the letter is one the actor may see)."""
    actor = actor_of(actor)
    comments = Comment.objects.filter(letter=letter).select_related("organisation", "author", "version")
    if access.is_penholder_member(actor, letter):
        return list(comments)
    invited = access.invited_organisations_of(actor, letter)
    if not invited:
        return []
    if is_shared(letter):
        return list(comments)
    return list(comments.filter(organisation_id__in=invited | {letter.penholder_id}))


def is_shared(letter: Letter) -> bool:
    return CommentSharing.objects.filter(letter=letter, shared=True).exists()


def set_shared(actor, letter_id, shared) -> Outcome[CommentSharing]:
    """The penholder's switch: every invitee reads every comment, or each its own."""
    actor = actor_of(actor)
    letter = queries.letter_for(actor, letter_id)
    if not access.is_penholder_drafter(actor, letter):
        raise Forbidden(_("Only the penholder's drafters choose who reads the comments."))
    if not isinstance(shared, bool):
        raise Invalid(_("shared must be true or false."), field="shared")
    sharing, created = CommentSharing.objects.update_or_create(
        letter=letter, defaults={"shared": shared, "changed_by": actor.user, "changed_at": timezone.now()}
    )
    return Outcome(sharing, created)
