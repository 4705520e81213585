"""The product's URLs plus one view that fails, to see the 500 page as a person would."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from guishu.web.urls import handler400, handler500, urlpatterns

BOOM = "boom: a failure only this test causes"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(BOOM)


urlpatterns = [*urlpatterns, path("boom/", boom)]
__all__ = ["handler400", "handler500", "urlpatterns"]
