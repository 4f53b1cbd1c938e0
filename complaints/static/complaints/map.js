/* Leaflet served locally. With no tile URL configured the map is a blank grid: the pin still works and the
   latitude / longitude inputs stay the source of truth. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var BlankGrid = L.GridLayer.extend({
    createTile: function () {
      var tile = document.createElement("canvas");
      tile.width = tile.height = 256;
      var ctx = tile.getContext("2d");
      ctx.fillStyle = "#eef2ee"; ctx.fillRect(0, 0, 256, 256);
      ctx.strokeStyle = "#c5cfc7"; ctx.lineWidth = 1;
      ctx.beginPath();
      for (var i = 0; i <= 256; i += 64) { ctx.moveTo(i, 0); ctx.lineTo(i, 256); ctx.moveTo(0, i); ctx.lineTo(256, i); }
      ctx.stroke();
      return tile;
    }
  });

  function baseMap(el) {
    var lat = parseFloat(el.dataset.lat), lng = parseFloat(el.dataset.lng);
    var map = L.map(el, { center: [lat, lng], zoom: 15, scrollWheelZoom: false });
    var url = el.dataset.tileUrl;
    map.attributionControl.setPrefix(false);
    if (url) {
      L.tileLayer(url, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    } else {
      new BlankGrid().addTo(map);
    }
    var radius = parseFloat(el.dataset.radius);
    if (radius) {
      // The organization's area: with no tiles it is the one landmark the map has, so show all of it.
      var area = L.circle([lat, lng], { radius: radius, color: "#0b5d4b", weight: 2, fillOpacity: url ? 0 : .06,
                                        dashArray: "4 6", interactive: false }).addTo(map);
      if (!url) { map.fitBounds(area.getBounds()); }
    }
    return map;
  }

  var picker = document.getElementById("map");
  if (picker) {
    var map = baseMap(picker);
    var latInput = document.getElementById("id_latitude"), lngInput = document.getElementById("id_longitude");
    var marker = null;
    function place(lat, lng, pan) {
      if (marker) { marker.setLatLng([lat, lng]); }
      else {
        marker = L.marker([lat, lng], { draggable: true, keyboard: true, title: "pin" }).addTo(map);
        marker.on("dragend", function () { var p = marker.getLatLng(); write(p.lat, p.lng); });
      }
      if (pan) { map.panTo([lat, lng]); }
    }
    function write(lat, lng) { latInput.value = lat.toFixed(6); lngInput.value = lng.toFixed(6); }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); write(e.latlng.lat, e.latlng.lng); });
    function fromInputs() {
      var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      if (!isNaN(lat) && !isNaN(lng)) { place(lat, lng, true); }
    }
    latInput.addEventListener("change", fromInputs); lngInput.addEventListener("change", fromInputs);
    fromInputs();
    var locate = document.getElementById("locate");
    if (locate) {
      if (!navigator.geolocation) { locate.hidden = true; }
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          place(pos.coords.latitude, pos.coords.longitude, true); write(pos.coords.latitude, pos.coords.longitude);
        });
      });
    }
  }

  // Dashboards: every element with data-points (the public page has one, the staff dashboard one per organization).
  function popup(p) {
    var box = document.createElement("div");  // text nodes only: names come from data, never parsed as HTML
    [p.code, p.category, p.status].forEach(function (line, i) {
      if (i) { box.appendChild(document.createElement("br")); }
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-points]"), function (dash) {
    var dmap = baseMap(dash);
    fetch(dash.dataset.points, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.points.forEach(function (p) {
          L.circleMarker([p.lat, p.lng], { radius: 7, color: "#a43c00", weight: 2, fillOpacity: .6 })
            .bindPopup(popup(p)).addTo(dmap);
        });
      });
  });
})();
