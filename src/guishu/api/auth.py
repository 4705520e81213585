"""Bearer API keys for channel agents (hashed lookup, revocation)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja.security import HttpBearer

from guishu.api.models import ApiKey, digest
from guishu.record import sql
from guishu.record.models import Project

# One statement per request: every agent call starts here, where the ORM's query
# compilation cost more than the rest of the authentication. A revoked key is refused at
# once, in every process: nothing is cached. The key works only while its agent is a member
# of the key's site, as an agent or channel manager of the key's firm: the staff_left fact that
# ends his membership ends his key in the same transaction (the site's access rules).
KEY_SELECT = (
    "SELECT k.id, k.agent, k.channel, k.prefix, p.id, p.code, p.name, p.policy, p.timezone "
    "FROM api_apikey k JOIN record_project p ON p.id = k.project_id "
    "JOIN record_membership m ON m.project_id = k.project_id AND m.staff = k.agent "
    "WHERE k.hashed = %s AND k.revoked_at IS NULL AND m.left_at IS NULL "
    "AND m.role IN ('agent', 'channel_manager') AND m.channel = k.channel"
)


class AgentKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        hashed = digest(token)
        row = sql.Db().fetchone(KEY_SELECT, (hashed,))
        if row is None:
            return None
        kid, agent, channel, prefix, pid, code, name, policy, tz = row
        project = Project(id=pid, code=code, name=name, policy=policy, timezone=tz)
        key = ApiKey(id=kid, project=project, agent=agent, channel=channel, prefix=prefix, hashed=hashed)
        request.api_key = key  # type: ignore[attr-defined]
        return key


def key_of(request: HttpRequest) -> ApiKey:
    """The key ``AgentKey`` authenticated this request with (every operation requires one)."""
    return cast(ApiKey, request.api_key)  # type: ignore[attr-defined]
