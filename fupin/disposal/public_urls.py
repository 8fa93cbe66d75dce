from django.urls import path

from fupin.disposal import public

app_name = "public"
urlpatterns = [
    path("catalogue/", public.catalogue, name="catalogue"),
    path("catalogue/fonds/<str:fonds>/", public.fonds, name="fonds"),
    path("catalogue/fonds/<str:fonds>/ead.xml", public.ead, name="ead"),
    path("oai", public.oai, name="oai"),
    path("certificates/<str:code>/", public.verify, name="verify"),
]
