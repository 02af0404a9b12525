from django.urls import path

from channels.led import views

app_name = "led"
urlpatterns = [
    path("api/led/v1/screens/<slug:code>/playlist.json", views.playlist_json, name="playlist_json"),
    path("api/led/v1/screens/<slug:code>/playlist.txt", views.playlist_txt, name="playlist_txt"),
    path("api/led/v1/screens/<slug:code>/frames/<str:item_id>.png", views.frame_png, name="frame"),
]
