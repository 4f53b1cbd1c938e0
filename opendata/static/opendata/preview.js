/* Dataset page previews: first 100 rows as a table with column types, GeoJSON on a Leaflet map (tiles from the
   installation's own tile server, a blank grid without one), and a small SVG line chart for a time series. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function renderTable(box, data) {
    box.textContent = "";
    var wrap = el("div", { "class": "table-wrap", tabindex: "0" });
    var table = el("table", { "class": "od-preview" });
    var head = el("thead"), types = el("tr", { "class": "types" }), names = el("tr");
    data.fields.forEach(function (f) {
      if (f.id === "_id") { return; }
      names.appendChild(el("th", { scope: "col" }, f.id));
      types.appendChild(el("td", {}, (box.dataset.labelType || "type") + ": " + f.type));
    });
    head.appendChild(names); head.appendChild(types); table.appendChild(head);
    var body = el("tbody");
    data.records.forEach(function (r) {
      var tr = el("tr");
      data.fields.forEach(function (f) {
        if (f.id === "_id") { return; }
        var numeric = f.type === "int" || f.type === "numeric";
        tr.appendChild(el("td", numeric ? { "class": "num" } : {}, r[f.id] === null ? "" : r[f.id]));
      });
      body.appendChild(tr);
    });
    table.appendChild(body); wrap.appendChild(table); box.appendChild(wrap);
    box.appendChild(el("p", { "class": "muted" }, data.records.length + " / " + data.total));
  }

  function renderChart(figure, chart) {
    var points = chart.points.filter(function (p) { return p[0] !== null && p[1] !== null; });
    // Sum values that share an x (e.g. several categories in the same month).
    var sums = {}, order = [];
    points.forEach(function (p) {
      if (!(p[0] in sums)) { sums[p[0]] = 0; order.push(p[0]); }
      sums[p[0]] += parseFloat(p[1]);
    });
    if (order.length < 2) { return; }
    var w = 640, h = 220, pad = 40, max = Math.max.apply(null, order.map(function (k) { return sums[k]; })) || 1;
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + h); svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", chart.y + ": " + order[0] + " – " + order[order.length - 1]);
    var d = order.map(function (k, i) {
      var x = pad + i * (w - 2 * pad) / (order.length - 1), y = h - pad - sums[k] / max * (h - 2 * pad);
      return (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
    }).join(" ");
    var axis = document.createElementNS(ns, "path");
    axis.setAttribute("d", "M" + pad + " " + pad + " V" + (h - pad) + " H" + (w - pad));
    axis.setAttribute("stroke", "#8a948c"); axis.setAttribute("fill", "none"); svg.appendChild(axis);
    var line = document.createElementNS(ns, "path");
    line.setAttribute("d", d); line.setAttribute("stroke", "#0b5d4b"); line.setAttribute("stroke-width", "2.5");
    line.setAttribute("fill", "none"); svg.appendChild(line);
    [[order[0], pad], [order[order.length - 1], w - pad]].forEach(function (pair, i) {
      var t = document.createElementNS(ns, "text");
      t.setAttribute("x", pair[1]); t.setAttribute("y", h - pad + 18); t.setAttribute("font-size", "12");
      t.setAttribute("text-anchor", i ? "end" : "start"); t.textContent = pair[0]; svg.appendChild(t);
    });
    var top = document.createElementNS(ns, "text");
    top.setAttribute("x", pad + 4); top.setAttribute("y", pad - 6); top.setAttribute("font-size", "12");
    top.textContent = chart.y + " (max " + max + ")"; svg.appendChild(top);
    figure.appendChild(svg);
    figure.appendChild(el("figcaption", {}, chart.y + " / " + chart.x));
  }

  document.querySelectorAll(".od-preview-table").forEach(function (box) {
    fetch(box.dataset.preview).then(function (r) { return r.json(); }).then(function (data) {
      renderTable(box, data);
      var figure = box.parentNode.querySelector(".od-chart");
      if (figure && data.chart) { renderChart(figure, data.chart); }
    });
  });

  if (typeof L === "undefined") { return; }
  var BlankGrid = L.GridLayer.extend({
    createTile: function () {
      var tile = document.createElement("canvas");
      tile.width = tile.height = 256;
      var ctx = tile.getContext("2d");
      ctx.fillStyle = "#eef2ee"; ctx.fillRect(0, 0, 256, 256);
      ctx.strokeStyle = "#c5cfc7"; ctx.beginPath();
      for (var i = 0; i <= 256; i += 64) { ctx.moveTo(i, 0); ctx.lineTo(i, 256); ctx.moveTo(0, i); ctx.lineTo(256, i); }
      ctx.stroke();
      return tile;
    }
  });
  document.querySelectorAll(".od-map").forEach(function (box) {
    var map = L.map(box, { center: [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)], zoom: 13,
                           scrollWheelZoom: false });
    if (box.dataset.tileUrl) {
      L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.attribution || "" }).addTo(map);
    } else { new BlankGrid().addTo(map); map.attributionControl.setPrefix(false); }
    fetch(box.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      var layer = L.geoJSON(geo, {
        onEachFeature: function (feature, lyr) {
          var props = feature.properties || {};
          var text = Object.keys(props).map(function (k) { return k + ": " + props[k]; }).join("\n");
          if (text) { lyr.bindPopup(el("pre", {}, text)); }
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 }); }
      box.dataset.features = String(layer.getLayers().length);
    });
  });
})();
