"""ClassAdd and ClassMod: the class list, up to five levels deep (``Field:North``).

Rule: a Name may not be blank or contain ":" (3180, ``names.required_name``); class FullNames are unique
among classes, case-insensitively (3100); an unknown or inactive ParentRef is 3130; every check runs
before the company changes (see ``names``).
"""

from __future__ import annotations

from ..qbxml import Element, text
from .base import Context, Handler, Reply
from .names import boolean, editable, move, parent_of, place, replace, reply, required_name

KIND = "Class"


def class_add(ctx: Context, rq: Element) -> Reply:
    """Add a class under an optional parent; reply with its ClassRet."""
    add = rq.find("ClassAdd")
    name = required_name(KIND, text(add, "Name"))
    parent = parent_of(ctx, KIND, add.find("ParentRef"))
    placement = place(ctx.company, KIND, name, parent)
    record = ctx.company.add_list_element(KIND, placement.name, parent_id=placement.parent_id,
                                          is_active=boolean(add, "IsActive", default=True))
    return reply(ctx, rq, KIND, record)


def class_mod(ctx: Context, rq: Element) -> Reply:
    """Rename, move or (de)activate a class; descendants' FullNames follow a rename."""
    mod = rq.find("ClassMod")
    record = editable(ctx, KIND, mod)
    placement = replace(ctx, KIND, mod, record)
    if placement is not None:
        move(ctx.company, KIND, record, placement)
    record["IsActive"] = boolean(mod, "IsActive", default=record["IsActive"])
    ctx.company.touch(record)
    return reply(ctx, rq, KIND, record)


HANDLERS: dict[str, Handler] = {
    "ClassAddRq": class_add,
    "ClassModRq": class_mod,
}
