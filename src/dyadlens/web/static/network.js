// dyadlens network view: fetch /api/network with the page's filters and draw the
// actors as a force-directed graph in SVG (vanilla JS, no dependencies).
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function goldsteinColour(value) {
    if (value === null || value === undefined) { return "#8a939c"; }
    var t = Math.max(-1, Math.min(1, value / 10));
    if (t < 0) { return "rgb(" + Math.round(198) + "," + Math.round(200 + 150 * t) + "," + Math.round(200 + 160 * t) + ")"; }
    return "rgb(" + Math.round(200 - 154 * t) + "," + Math.round(190 - 65 * t) + "," + Math.round(200 - 150 * t) + ")";
  }

  // Node colour by actor type (the knowledge base's types); the legend lists the types shown.
  var TYPE_COLOURS = {
    state: "#1f3a5f", armed_group: "#b23a48", igo: "#2a9d8f", igo_body: "#52b69a", person: "#7b4fa6",
    media: "#c9a227", think_tank: "#8d6e63", company: "#e07a1f", region_group: "#4f7cac"
  };
  var OTHER_COLOUR = "#8a939c";
  // Filters an edge link keeps, so that the dyad opens on the same period and classes.
  var KEPT_FILTERS = ["since", "until", "quad", "modality", "count"];

  function typeColour(type) { return TYPE_COLOURS[type] || OTHER_COLOUR; }

  function dyadHref(edge) {
    var here = new URLSearchParams(window.location.search), kept = new URLSearchParams();
    KEPT_FILTERS.forEach(function (name) {
      here.getAll(name).forEach(function (value) { if (value) { kept.append(name, value); } });
    });
    var query = kept.toString();
    return "/dyad/" + encodeURIComponent(edge.source) + "/" + encodeURIComponent(edge.target) + (query ? "?" + query : "");
  }

  function make(name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) { el.setAttribute(key, attrs[key]); });
    return el;
  }

  function circleLayout(nodes, width, height) {
    var radius = Math.min(width, height) / 2 - 60;
    nodes.forEach(function (node, i) {
      var angle = (2 * Math.PI * i) / Math.max(1, nodes.length);
      node.x = width / 2 + radius * Math.cos(angle);
      node.y = height / 2 + radius * Math.sin(angle);
    });
  }

  // A few hundred steps of a simple spring–repulsion simulation, started from the circle.
  function forceLayout(nodes, links, width, height) {
    circleLayout(nodes, width, height);
    var ideal = Math.min(width, height) / Math.max(3, Math.sqrt(nodes.length) + 1);
    for (var step = 0; step < 300; step++) {
      var cooling = 1 - step / 300;
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y;
          var dist = Math.max(1, Math.sqrt(dx * dx + dy * dy));
          if (dist > 2 * ideal) { continue; }  // far apart: no push, so components stay close
          var push = (ideal * ideal) / dist;
          a.dx += (dx / dist) * push; a.dy += (dy / dist) * push;
          b.dx -= (dx / dist) * push; b.dy -= (dy / dist) * push;
        }
      }
      links.forEach(function (l) {
        var dx = l.s.x - l.t.x, dy = l.s.y - l.t.y;
        var dist = Math.max(1, Math.sqrt(dx * dx + dy * dy));
        var pull = (dist * dist) / ideal;
        l.s.dx -= (dx / dist) * pull; l.s.dy -= (dy / dist) * pull;
        l.t.dx += (dx / dist) * pull; l.t.dy += (dy / dist) * pull;
      });
      nodes.forEach(function (n) {
        n.dx += (width / 2 - n.x) * 0.05; n.dy += (height / 2 - n.y) * 0.05;
        var len = Math.max(1, Math.sqrt(n.dx * n.dx + n.dy * n.dy));
        var move = Math.min(len, 12 * cooling + 0.5);
        n.x += (n.dx / len) * move;
        n.y += (n.dy / len) * move;
      });
    }
    fitToView(nodes, width, height);
  }

  // Scale and centre the layout so that it fills the drawing area with a margin.
  function fitToView(nodes, width, height) {
    var xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var marginX = 90, marginY = 50;
    nodes.forEach(function (n) {
      n.x = maxX > minX ? marginX + ((n.x - minX) / (maxX - minX)) * (width - 2 * marginX) : width / 2;
      n.y = maxY > minY ? marginY + ((n.y - minY) / (maxY - minY)) * (height - 2 * marginY) : height / 2;
    });
  }

  function edgePath(l) {
    // A slight curve so that A->B and B->A stay apart; the end stops at the target's rim.
    var mx = (l.s.x + l.t.x) / 2, my = (l.s.y + l.t.y) / 2;
    var cx = mx - (l.t.y - l.s.y) * 0.12, cy = my + (l.t.x - l.s.x) * 0.12;
    var dx = l.t.x - cx, dy = l.t.y - cy;
    var len = Math.max(1, Math.sqrt(dx * dx + dy * dy));
    var back = (l.t.radius || 8) + 3;
    var ex = l.t.x - (dx / len) * back, ey = l.t.y - (dy / len) * back;
    return "M" + l.s.x + "," + l.s.y + " Q" + cx + "," + cy + " " + ex + "," + ey;
  }

  function draw(svg, data) {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var width = svg.clientWidth || 1000, height = svg.clientHeight || 620;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var defs = make("defs", {});
    var marker = make("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "10", markerHeight: "10", markerUnits: "userSpaceOnUse", orient: "auto" });
    marker.appendChild(make("path", { d: "M0,0 L10,5 L0,10 z", fill: "#6b7580" }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    if (!data.nodes.length) {
      var empty = make("text", { x: width / 2, y: height / 2, "text-anchor": "middle", fill: "#8a939c" });
      empty.textContent = "No events in this selection.";
      svg.appendChild(empty);
      return;
    }
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var links = data.edges.map(function (e) { return { s: byId[e.source], t: byId[e.target], edge: e }; });
    var maxEvents = Math.max.apply(null, data.nodes.map(function (n) { return n.events; }).concat([1]));
    data.nodes.forEach(function (n) { n.radius = 6 + 10 * Math.sqrt(n.events / maxEvents); });
    forceLayout(data.nodes, links, width, height);
    var maxCount = Math.max.apply(null, data.edges.map(function (e) { return e.count; }).concat([1]));
    var edgeLayer = make("g", { class: "edges" });
    links.forEach(function (l) {
      var a = make("a", { href: dyadHref(l.edge), class: "edge-link" });
      var path = make("path", {
        class: "edge", d: edgePath(l), stroke: goldsteinColour(l.edge.mean_goldstein),
        "stroke-width": 1.5 + 6 * (l.edge.count / maxCount), "marker-end": "url(#arrow)"
      });
      var title = make("title", {});
      title.textContent = (l.s.name || l.s.id) + " \u2192 " + (l.t.name || l.t.id) + ": " + l.edge.count +
        " event(s), mean Goldstein " + (l.edge.mean_goldstein === null ? "n/a" : l.edge.mean_goldstein);
      path.appendChild(title);
      a.appendChild(path);
      edgeLayer.appendChild(a);
    });
    svg.appendChild(edgeLayer);
    var nodeLayer = make("g", { class: "nodes" }), labelLayer = make("g", { class: "labels" });
    data.nodes.forEach(function (n) {
      var g = make("g", { class: "node", transform: "translate(" + n.x + "," + n.y + ")", "data-actor": n.id,
        "data-type": n.type || "other" });
      var circle = make("circle", { r: n.radius, fill: typeColour(n.type) });
      var title = make("title", {});
      title.textContent = (n.name || n.id) + " (" + (n.type || "type unknown") + ", " + n.events + " events)";
      circle.appendChild(title);
      g.appendChild(circle);
      var label = make("text", { class: "node-label" });
      label.textContent = n.name || n.id;
      labelLayer.appendChild(label);
      enableDrag(svg, g, n, links, edgeLayer, function () { placeLabel(label, n, width, links); });
      nodeLayer.appendChild(g);
    });
    svg.appendChild(nodeLayer);
    svg.appendChild(labelLayer);  // above nodes and arrows; the white halo keeps them readable
    labelLayer.querySelectorAll("text").forEach(function (label, i) { placeLabel(label, data.nodes[i], width, links); });
    svg.appendChild(legend(data.nodes));
  }

  // A label beside its node, on the side away from its edges (so not under arrows), never on the circle;
  // kept inside the drawing.
  function placeLabel(label, node, width, links) {
    var away = labelSide(node, links), w = label.getBBox().width, gap = node.radius + 4;
    var side = Math.abs(away.x) >= Math.abs(away.y) ? (away.x >= 0 ? "right" : "left") : (away.y >= 0 ? "below" : "above");
    if (side === "right" && node.x + gap + w > width) { side = "left"; }
    if (side === "left" && node.x - gap - w < 0) { side = "right"; }
    var x = side === "right" ? node.x + gap : side === "left" ? node.x - gap : node.x;
    var y = side === "below" ? node.y + gap + 10 : side === "above" ? node.y - gap : node.y + 4;
    var anchor = side === "right" ? "start" : side === "left" ? "end" : "middle";
    if (anchor === "middle") { x = Math.max(w / 2 + 4, Math.min(width - w / 2 - 4, x)); }
    label.setAttribute("x", x); label.setAttribute("y", y); label.setAttribute("text-anchor", anchor);
  }

  // The direction pointing away from the node's edges (to the right when it has none).
  function labelSide(node, links) {
    var x = 0, y = 0;
    links.forEach(function (l) {
      var other = l.s === node ? l.t : l.t === node ? l.s : null;
      if (!other) { return; }
      var dx = other.x - node.x, dy = other.y - node.y, len = Math.max(1, Math.sqrt(dx * dx + dy * dy));
      x -= dx / len; y -= dy / len;
    });
    return Math.abs(x) + Math.abs(y) < 0.2 ? { x: 1, y: 0 } : { x: x, y: y };
  }

  function legend(nodes) {
    var types = [];
    nodes.forEach(function (n) { var t = n.type || "other"; if (types.indexOf(t) < 0) { types.push(t); } });
    types.sort();
    var g = make("g", { class: "legend", transform: "translate(10,14)" });
    types.forEach(function (type, i) {
      g.appendChild(make("circle", { cx: 5, cy: i * 16, r: 5, fill: typeColour(type) }));
      var text = make("text", { x: 14, y: i * 16 + 4 });
      text.textContent = type.replace("_", " ");
      g.appendChild(text);
    });
    return g;
  }

  function enableDrag(svg, g, node, links, edgeLayer, moveLabel) {
    var moved = false;
    g.addEventListener("pointerdown", function (event) {
      moved = false;
      g.setPointerCapture(event.pointerId);
    });
    g.addEventListener("pointermove", function (event) {
      if (!g.hasPointerCapture(event.pointerId)) { return; }
      var point = svg.createSVGPoint();
      point.x = event.clientX; point.y = event.clientY;
      var local = point.matrixTransform(svg.getScreenCTM().inverse());
      node.x = local.x; node.y = local.y; moved = true;
      g.setAttribute("transform", "translate(" + node.x + "," + node.y + ")");
      moveLabel();
      var paths = edgeLayer.querySelectorAll("path.edge");
      links.forEach(function (l, i) { paths[i].setAttribute("d", edgePath(l)); });
    });
    g.addEventListener("pointerup", function (event) {
      g.releasePointerCapture(event.pointerId);
      if (!moved) { window.location.href = "/actor/" + encodeURIComponent(node.id); }
    });
  }

  function load() {
    var svg = document.getElementById("network-svg");
    if (!svg) { return; }
    var params = new URLSearchParams(window.location.search);
    fetch("/api/network?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.error) { throw new Error(data.error); }
        draw(svg, data);
        svg.setAttribute("data-ready", "true");
      })
      .catch(function (error) {
        var text = make("text", { x: 20, y: 30, fill: "#c62828" });
        text.textContent = "Cannot draw the network: " + error.message;
        svg.appendChild(text);
      });
  }

  // The period slider: years for since/until, kept in step with the text inputs; a change reloads.
  function initPeriodSlider() {
    var form = document.getElementById("network-filters");
    if (!form) { return; }
    document.querySelectorAll(".period-slider input[type=range][data-for]").forEach(function (slider) {
      var field = form.elements[slider.getAttribute("data-for")];
      slider.max = String(new Date().getFullYear());
      var year = parseInt(field.value, 10);
      slider.value = isNaN(year) ? (slider.getAttribute("data-for") === "since" ? slider.min : slider.max) : year;
      var shown = document.getElementById(slider.id + "-value");
      var echo = function () { if (shown) { shown.textContent = slider.value; } };
      echo();
      slider.addEventListener("input", function () { field.value = slider.value; echo(); });
      slider.addEventListener("change", function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", load);
  document.addEventListener("DOMContentLoaded", initPeriodSlider);
})();
