"""URL map. Every screen of a site lives under /s/<site>/ and is reached only through the
signed-in person's membership of that site (guishu.sites.access.site_view)."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from guishu.api.api import api
from guishu.api.pages import agent_page, agent_receipt
from guishu.api.verify_page import verify_receipt
from guishu.logins.views import LoginView
from guishu.rotation import views as rotation_views
from guishu.sites import views as site_views

site_patterns: list[URLPattern | URLResolver] = [
    path("", include("guishu.sites.urls")),
    path("", include("guishu.desk.urls")),
    path("visits/", include("guishu.visits.urls")),
    path("rotation/", include("guishu.rotation.urls")),
    path("duty/", include("guishu.duty.urls")),
    path("deals/", include("guishu.deals.urls")),
    path("handins/", include("guishu.handins.urls")),
    path("disputes/", include("guishu.disputes.urls")),
    path("filings/", include("guishu.filings.urls")),
    path("penalties/", include("guishu.penalties.urls")),
    path("statements/", include("guishu.statements.urls")),
    path("letters/", include("guishu.letters.urls")),
    path("agent/", agent_page, name="agent"),
    path("agent/receipts/<int:seq>/", agent_receipt, name="agent_receipt"),
]

urlpatterns = [
    path("", site_views.start, name="start"),
    path("sites/new/", site_views.new_site, name="new_site"),
    path("s/<slug:site>/", include(site_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("board/<str:token>/", rotation_views.board, name="board"),  # public: the wall board, no customer data
    path("board/<str:token>/queue/", rotation_views.board_queue, name="board_queue"),
    path("verify/", verify_receipt, name="verify_receipt"),  # public: no login, no customer data
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]

handler400 = "guishu.web.errors.bad_request"
handler500 = "guishu.web.errors.server_error"
