"""The service commands of the guishu CLI: serve (with the demo), rebuild, keys and admins."""

from __future__ import annotations

import argparse

from guishu.cli.boot import django_setup, named_project
from guishu.cli.proofs import add_proof_commands

_django = django_setup


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from guishu.record.demo import DEMO_PASSWORD, ensure_demo_site

    call_command("db_roles", verbosity=0)  # migrate as the owner, grant the app role (record.db_roles)
    if settings.PRODUCTION:
        print("生产模式:不创建示范案场 / production mode: no demo site")
    else:
        print("示范模式,仅供本机试用;正式使用请设 GUISHU_MODE=production / demo mode, for trying out on this machine")
    if not args.no_demo and not settings.PRODUCTION:
        project, logins = ensure_demo_site()
        print(f"示范案场 / demo site: {project.name} (policy {project.policy}) and a second site")
        print(f"登录 / logins (password: {DEMO_PASSWORD}):")
        for staff, name, site, role in logins:
            print(f"  {staff:<12} {name}  {site:<6} {role}")
    print(f"http://{args.addr}/")
    if args.dev:
        call_command("runserver", args.addr, use_reloader=False, skip_checks=False)
        return 0
    from django.db import connections

    from guishu.record import engines
    from guishu.web import server

    # the workers open their own connections and engines: nothing of the master's crosses the fork
    connections.close_all()
    engines.forget_all()
    size = server.sizing()
    server.serve(
        args.addr,
        workers=args.workers or size.workers,
        threads=args.threads or size.threads,
        data_dir=str(settings.DATA_DIR),
    )
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    _django()
    from django.db import transaction

    from guishu.record.models import Project
    from guishu.record.rebuild import rebuild_all

    for project in Project.objects.filter(**({"code": args.project} if args.project else {})):
        with transaction.atomic():
            done = rebuild_all(project)
        print(
            f"{project.code}: 重建 {done.groups} 个客户组、{done.people} 条任职 / "
            f"groups and memberships rebuilt from {done.entries} entries"
        )
    return 0


def cmd_api_key(args: argparse.Namespace) -> int:
    _django()
    from guishu.api import keys as api_keys
    from guishu.record import engines

    project = named_project(args.project)
    if project is None:
        return 2
    person = engines.live_engine(project).engine.staff.people.get(args.agent)
    if person is None or person.role != "agent" or not person.channel:
        print(f"{args.agent} 不是分销个人 / not a channel agent of {args.project}")
        return 2
    _key, plain = api_keys.issue(project=project, agent=args.agent, channel=person.channel)
    print(f"{args.agent} ({person.channel}): {plain}")
    print("只显示这一次,请妥善保存 / shown once: keep it safe")
    return 0


def cmd_group_admin(args: argparse.Namespace) -> int:
    """Grant the group-level admin role (every site); a new login gets a password, shown once."""
    _django()
    import secrets

    from django.contrib.auth.models import User

    from guishu.record.models import GroupRole

    user = User.objects.filter(username=args.username).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=args.username, password=password, first_name=args.name)
        print(f"{args.username}: 初始密码 / first password: {password}  (只显示这一次 / shown once)")
    GroupRole.objects.get_or_create(user=user, defaults={"role": "group_admin"})
    print(f"{args.username} 是集团管理员 / is the group admin")
    return 0


def add_service_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="migrate, create the demo site and serve the web app")
    serve.add_argument("--addr", default="127.0.0.1:8000")
    serve.add_argument("--no-demo", action="store_true")
    serve.add_argument("--dev", action="store_true", help="Django's development server instead of gunicorn")
    serve.add_argument("--workers", type=int, default=0, help="worker processes (default: one per core, at least 2)")
    serve.add_argument("--threads", type=int, default=0, help="threads per worker (default 4)")
    serve.set_defaults(func=cmd_serve)
    add_proof_commands(sub)  # verify, verify-receipt, checkpoints (guishu.cli.proofs)
    rebuild = sub.add_parser("rebuild", help="rebuild the projections from the record")
    rebuild.add_argument("--project")
    rebuild.set_defaults(func=cmd_rebuild)
    key = sub.add_parser("api-key", help="issue an API key to a channel agent")
    key.add_argument("agent")
    key.add_argument("--project", default="demo")
    key.set_defaults(func=cmd_api_key)
    admin = sub.add_parser("group-admin", help="make a login the group admin (creates sites, administers all)")
    admin.add_argument("username")
    admin.add_argument("--name", default="集团管理员")
    admin.set_defaults(func=cmd_group_admin)
