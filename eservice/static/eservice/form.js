// "Use my location" fills a map-point field's latitude and longitude from the phone's GPS.
document.querySelectorAll("[data-locate]").forEach(function (button) {
  if (!navigator.geolocation) { button.hidden = true; return; }
  button.addEventListener("click", function () {
    var name = button.getAttribute("data-locate");
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.querySelector('[name="' + name + '_0"]').value = pos.coords.latitude.toFixed(6);
      document.querySelector('[name="' + name + '_1"]').value = pos.coords.longitude.toFixed(6);
    });
  });
});
