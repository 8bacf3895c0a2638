// dyadlens: small page behaviours shared by every page (no dependencies).
(function () {
  "use strict";

  // Mark the element named by the URL fragment (an event row, a sentence) as active
  // and bring it into view, also when the fragment changes after a chart click.
  function markTarget() {
    document.querySelectorAll(".active-target").forEach(function (el) {
      el.classList.remove("active-target", "active");
    });
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = document.getElementById(id);
    if (!el) { return; }
    unfold(el);
    var row = el.closest("tr") || el;
    row.classList.add("active-target", "active");
    var next = el.classList.contains("anchor") ? el.nextElementSibling : row;
    (next || row).scrollIntoView({ block: "center" });
  }

  // A target inside folded detail (a closed <details>: a section, the rest of a long article) is opened first.
  function unfold(el) {
    for (var up = el.parentElement; up; up = up.parentElement) {
      if (up.tagName === "DETAILS") { up.open = true; }
    }
  }

  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", markTarget);
})();

// Timeline charts: drag across the plot to zoom to that stretch of time (double-click or
// "whole period" to go back); a mark that stands for several events lists them on click.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function svgX(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse()).x;
  }

  // Segments [t0, t1, x0, x1]: time to drawing x and back (between segments: the nearer end).
  function toX(segments, t) {
    for (var i = 0; i < segments.length; i++) {
      var s = segments[i];
      if (t >= s[0] && t <= s[1]) { return s[2] + (t - s[0]) / (s[1] - s[0]) * (s[3] - s[2]); }
    }
    return null;
  }
  function toT(segments, x) {
    var best = segments[0];
    for (var i = 0; i < segments.length; i++) { if (x >= segments[i][2]) { best = segments[i]; } }
    var clamped = Math.max(best[2], Math.min(best[3], x));
    return best[0] + (clamped - best[2]) / (best[3] - best[2]) * (best[1] - best[0]);
  }

  function monthLabel(t) {
    var months = Math.floor(t * 12), month = months % 12 + 1;
    return Math.floor(months / 12) + "-" + (month < 10 ? "0" : "") + month;
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function moveMark(mark, x) {
    mark.querySelectorAll("circle, text").forEach(function (shape) {
      shape.setAttribute(shape.tagName === "text" ? "x" : "cx", x.toFixed(1));
    });
  }

  // Ticks for a linear stretch: the smallest of 1, 3, 6, 12... months that leaves 64 px per label.
  function drawTicks(group, seg, top, bottom) {
    var perYear = (seg[3] - seg[2]) / (seg[1] - seg[0]), steps = [1, 3, 6, 12, 24, 60, 120, 240], step = 480;
    for (var i = 0; i < steps.length; i++) { if (steps[i] / 12 * perYear >= 64) { step = steps[i]; break; } }
    for (var m = Math.ceil(seg[0] * 12 / step) * step; m / 12 <= seg[1]; m += step) {
      var x = toX([seg], m / 12).toFixed(1);
      group.appendChild(el("line", { x1: x, x2: x, y1: top, y2: bottom, class: "grid" }));
      group.appendChild(el("text", { x: x, y: bottom + 16, "text-anchor": "middle", class: "tick" },
        m % 12 ? monthLabel(m / 12 + 0.01) : String(m / 12)));
    }
  }

  // The same grouping as the server's (charts.cluster_marks): join marks until no two circles touch.
  function radius(size) { return size === 1 ? 6 : Math.min(14, 8 + 1.5 * Math.sqrt(size)); }
  function centre(group) {
    var x = 0, y = 0;
    group.forEach(function (p) { x += p.x; y += p.y; });
    return { x: x / group.length, y: y / group.length };
  }
  // Each pass joins every pair of touching groups, found through a grid of 29 px cells (the widest
  // two circles that touch); passes repeat until one joins nothing.
  function joinTouching(groups) {
    var cell = 29, centres = groups.map(centre), cells = {}, parent = groups.map(function (g, i) { return i; });
    function key(col, row) { return col + "," + row; }
    function root(i) { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; }
    centres.forEach(function (c, i) {
      var k = key(Math.floor(c.x / cell), Math.floor(c.y / cell));
      (cells[k] = cells[k] || []).push(i);
    });
    centres.forEach(function (c, i) {
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          (cells[key(Math.floor(c.x / cell) + dx, Math.floor(c.y / cell) + dy)] || []).forEach(function (j) {
            var reach = radius(groups[i].length) + radius(groups[j].length) + 1;
            if (j > i && Math.sqrt(Math.pow(c.x - centres[j].x, 2) + Math.pow(c.y - centres[j].y, 2)) < reach) {
              parent[root(j)] = root(i);
            }
          });
        }
      }
    });
    var joined = {}, order = [];
    groups.forEach(function (g, i) {
      var r = root(i);
      if (!joined[r]) { joined[r] = []; order.push(r); }
      joined[r] = joined[r].concat(g);
    });
    return order.map(function (r) { return joined[r]; });
  }
  function clusterGroups(points) {
    var groups = points.map(function (p) { return [p]; });
    for (;;) {
      var joined = joinTouching(groups);
      if (joined.length === groups.length) { return groups; }
      groups = joined;
    }
  }
  function clusterMark(group) {
    var c = centre(group), n = group.length;
    var ids = group.map(function (p) { return p.mark.getAttribute("data-event"); });
    var labels = group.map(function (p) { return p.mark.querySelector("title").textContent; });
    var strokes = group.map(function (p) { return p.mark.querySelector("circle").getAttribute("stroke"); });
    var colour = strokes.every(function (s) { return s === strokes[0]; }) ? strokes[0] : "#5b6672";
    var a = el("a", { href: "#ev-" + encodeURIComponent(ids[0]), class: "cluster-link mark zoom-cluster", "data-count": n,
      "data-events": ids.join(" "), "data-labels": JSON.stringify(labels) });
    var circle = el("circle", { class: "event-cluster", cx: c.x.toFixed(1), cy: c.y.toFixed(1), r: radius(n).toFixed(1),
      fill: colour, stroke: "#1d232b", "stroke-width": "1.5" });
    circle.appendChild(el("title", {}, n + " events \u2013 click to list them:\n" + labels.join("\n")));
    a.appendChild(circle);
    a.appendChild(el("text", { x: c.x.toFixed(1), y: (c.y + 4).toFixed(1), "text-anchor": "middle", class: "cluster-count" }, String(n)));
    return a;
  }

  function initTimeline(svg) {
    var plot = svg.querySelector(".plot-area");
    if (!plot || !svg.getAttribute("data-axis")) { return; }
    var whole = JSON.parse(svg.getAttribute("data-axis"));
    var left = +plot.getAttribute("x"), right = left + +plot.getAttribute("width");
    var top = +plot.getAttribute("y"), bottom = top + +plot.getAttribute("height");
    var marks = Array.prototype.slice.call(svg.querySelectorAll(".marks .mark"));
    var zoomTicks = el("g", { class: "zoom-ticks" });
    var reset = el("text", { x: right, y: 12, "text-anchor": "end", class: "zoom-reset", tabindex: "0", role: "button" },
      "\u21ba whole period");
    var brush = el("rect", { class: "brush", y: top, height: bottom - top, width: 0 });
    svg.insertBefore(zoomTicks, svg.querySelector(".marks"));
    svg.appendChild(brush); svg.appendChild(reset);

    var events = Array.prototype.slice.call(svg.querySelectorAll(".marks .point-link"));
    var zoomLayer = el("g", { class: "zoom-marks" });
    svg.querySelector(".marks").appendChild(zoomLayer);

    // Whole period: the server's marks. Zoomed: every event in range, grouped again where they overlap.
    function show(segments, zoomed) {
      svg.querySelector(".time-axis").style.display = zoomed ? "none" : "";
      reset.style.display = zoomed ? "" : "none";
      [zoomTicks, zoomLayer].forEach(function (g) { while (g.firstChild) { g.removeChild(g.firstChild); } });
      if (zoomed) { drawTicks(zoomTicks, segments[0], top, bottom); }
      var visible = 0;
      events.forEach(function (mark) { mark.style.display = "none"; });
      if (!zoomed) {
        marks.forEach(function (mark) {
          mark.style.display = "inline";
          moveMark(mark, toX(segments, +mark.getAttribute("data-t")));
          visible += +(mark.getAttribute("data-count") || 1);
        });
      } else {
        marks.forEach(function (mark) { mark.style.display = "none"; });
        var placed = events.map(function (mark) {
          return { mark: mark, x: toX(segments, +mark.getAttribute("data-t")), y: +mark.querySelector("circle").getAttribute("cy") };
        }).filter(function (p) { return p.x !== null; });
        clusterGroups(placed).forEach(function (group) {
          if (group.length === 1) { group[0].mark.style.display = "inline"; moveMark(group[0].mark, group[0].x); }
          else { zoomLayer.appendChild(clusterMark(group)); }
        });
        visible = placed.length;
      }
      var first = segments[0][0], last = segments[segments.length - 1][1];
      svg.setAttribute("data-range", monthLabel(first) + " \u2013 " + monthLabel(last));
      svg.setAttribute("data-visible", visible);
      svg.currentSegments = segments;
    }

    var start = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.closest("a, .zoom-reset")) { return; }
      var x = svgX(svg, event);
      if (x < left || x > right) { return; }
      start = x;
      event.preventDefault();  // a drag brushes, it does not select the chart's text
      svg.setPointerCapture(event.pointerId);
      brush.setAttribute("x", x); brush.setAttribute("width", 0);
    });
    svg.addEventListener("pointermove", function (event) {
      if (start === null) { return; }
      var x = Math.max(left, Math.min(right, svgX(svg, event)));
      brush.setAttribute("x", Math.min(start, x)); brush.setAttribute("width", Math.abs(x - start));
    });
    svg.addEventListener("pointerup", function (event) {
      if (start === null) { return; }
      var x = Math.max(left, Math.min(right, svgX(svg, event))), from = Math.min(start, x), to = Math.max(start, x);
      start = null;
      brush.setAttribute("width", 0);
      if (to - from < 6) { return; }
      var segments = svg.currentSegments;
      show([[toT(segments, from), toT(segments, to), left, right]], true);
    });
    svg.addEventListener("dblclick", function () { show(whole, false); });
    reset.addEventListener("click", function () { show(whole, false); });
    reset.addEventListener("keydown", function (event) { if (event.key === "Enter") { show(whole, false); } });
    show(whole, false);
  }

  // A mark for several events: list them under the chart, each linking to its row, and mark the rows.
  function openCluster(link) {
    var chart = link.closest("svg");
    var box = chart.parentNode.querySelector(".cluster-list") || document.createElement("div");
    box.className = "cluster-list";
    box.setAttribute("role", "region");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var ids = link.getAttribute("data-events").split(" ");
    var labels = JSON.parse(link.getAttribute("data-labels"));
    var head = document.createElement("strong");
    head.textContent = ids.length + " events at this point";
    var list = document.createElement("ul");
    ids.forEach(function (id, i) {
      var item = document.createElement("li"), a = document.createElement("a");
      a.href = "#ev-" + encodeURIComponent(id);
      a.textContent = labels[i];
      item.appendChild(a); list.appendChild(item);
      var row = document.getElementById("ev-" + id);
      if (row) { row.classList.add("active", "active-target"); }
    });
    box.appendChild(head); box.appendChild(list);
    chart.parentNode.insertBefore(box, chart.nextSibling);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.cluster-link");
    if (!link) { return; }
    event.preventDefault();
    openCluster(link);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("svg.timeline-chart").forEach(initTimeline);
  });
})();

// A folded section that is a page of its own (the dyad page's sources side by side: <details data-load=URL>)
// loads that page's #claims into itself the first time it is opened; its links still lead to the page.
(function () {
  "use strict";

  function load(details) {
    var url = new URL(details.getAttribute("data-load"), window.location.href);
    details.setAttribute("data-loading", "");
    fetch(url.href, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.text();
      })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html").getElementById("claims");
        if (!found) { throw new Error("no claims in the answer"); }
        found.querySelectorAll("a[href]").forEach(function (a) {
          a.setAttribute("href", new URL(a.getAttribute("href"), url).href.replace(window.location.origin, ""));
        });
        details.appendChild(document.importNode(found, true));
        details.setAttribute("data-loaded", "");
      })
      .catch(function (error) {
        var note = document.createElement("p");
        note.className = "muted load-failed";
        note.textContent = "Could not load them here (" + error.message + "); follow the link above.";
        details.appendChild(note);
        details.removeAttribute("data-load-started");
      })
      .finally(function () { details.removeAttribute("data-loading"); });
  }

  function opened(event) {
    var details = event.target;
    if (!details.open || details.hasAttribute("data-load-started")) { return; }
    details.setAttribute("data-load-started", "");
    load(details);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details[data-load]").forEach(function (details) {
      details.addEventListener("toggle", opened);
      if (details.open) { opened({ target: details }); }
    });
  });
})();
