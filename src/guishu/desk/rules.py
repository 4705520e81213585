"""Object-level permissions (django-rules): who may see and do what at the desk."""

from __future__ import annotations

from typing import Any

import rules as _rules
from django.contrib.auth.models import AbstractBaseUser

# django-rules ships no type information: its functions and predicates are Any here
rules: Any = _rules
has_role: Any = rules.is_group_member


def _owns_customer(user: AbstractBaseUser, owner_id: str | None) -> bool:
    """A consultant sees full details of his own customers only."""
    return bool(owner_id) and getattr(user, "username", None) == owner_id


owns_customer: Any = rules.predicate(_owns_customer)
is_consultant: Any = has_role("consultant")
is_clerk: Any = has_role("clerk")
is_manager: Any = has_role("manager")
is_admin: Any = has_role("admin")

rules.add_perm("desk.judge", is_consultant | is_clerk | is_manager | is_admin)  # 判客
rules.add_perm("desk.register", is_consultant | is_clerk | is_manager)
rules.add_perm("desk.see_full_phone", owns_customer)
# S4.4, S10.7, S18.18: browsing past registers and the trail needs the manager's permission
rules.add_perm("desk.view_trail", is_manager | is_admin)
rules.add_perm("desk.decide", is_manager)
rules.add_perm("desk.check_registers", is_clerk | is_manager)  # S1.3, S11.3: the clerk checks the registers
