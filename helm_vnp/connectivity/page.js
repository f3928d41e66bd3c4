(function () {
  "use strict";
  var root = document.documentElement, errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message || e)); root.setAttribute("data-errors", errors.join(" | "));
  });
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]); } }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  var D = JSON.parse(document.getElementById("vnp-data").textContent);
  var nodes = D.nodes, groups = D.ranges, conns = D.conns;
  function key(i) { var n = nodes[i]; return n[0] + "/" + n[1] + "[" + n[2] + "]"; }
  var nc = 0; nodes.forEach(function (n) { if (n[3] + 1 > nc) nc = n[3] + 1; });
  var pairOf = {}; D.pairs.forEach(function (p) { pairOf[p[0] * nc + p[1]] = p[2]; });
  function extOf(table) {
    return table.map(function (row) { var m = {}; row.forEach(function (x) { m[x[0]] = x[1]; }); return m; });
  }
  var eg = extOf(D.egress), ig = extOf(D.ingress);
  // an end: "w<i>" (workload node) or "r<g>" (outside range group)
  function connOf(s, d) {
    var ws = s[0] === "w", wd = d[0] === "w", a = +s.slice(1), b = +d.slice(1), c;
    if (ws && wd) { if (a === b) return "self"; c = pairOf[nodes[a][3] * nc + nodes[b][3]]; }
    else if (ws) c = eg[b][nodes[a][3]];
    else if (wd) c = ig[a][nodes[b][3]];
    else return "na";
    return c === undefined ? null : c;
  }
  function label(e) {
    return e[0] === "w" ? key(+e.slice(1)) : "outside " + groups[+e.slice(1)][0];
  }
  // -- filter ---------------------------------------------------------------------------------------
  var visible = nodes.map(function () { return true; });
  var filterBox = document.getElementById("filter");
  function applyFilter(text) {
    var words = text.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = 0;
    nodes.forEach(function (n, i) {
      var k = key(i).toLowerCase();
      visible[i] = !words.length || words.some(function (w) { return k.indexOf(w) >= 0; });
      if (visible[i]) shown++;
    });
    root.setAttribute("data-shown", String(shown));
    document.getElementById("count").textContent = shown + " of " + nodes.length + " workloads";
    var pic = document.getElementById("picture");
    if (pic && !pic.classList.contains("condensed")) {
      nodes.forEach(function (n, i) {
        var g = document.getElementById("n-w" + i); if (g) g.classList.toggle("hidden", !visible[i]);
      });
      Array.prototype.forEach.call(pic.querySelectorAll(".edge"), function (p) {
        var s = p.getAttribute("data-s"), d = p.getAttribute("data-d");
        var hide = (s[0] === "w" && !visible[+s.slice(1)]) || (d[0] === "w" && !visible[+d.slice(1)]);
        p.classList.toggle("hidden", hide);
      });
    }
    buildMatrix();
  }
  // -- matrix ---------------------------------------------------------------------------------------
  function buildMatrix() {
    var wrap = document.getElementById("matrix-wrap"); clear(wrap);
    var ends = [];
    nodes.forEach(function (n, i) { if (visible[i]) ends.push("w" + i); });
    var shown = ends.length;
    if (shown > D.matrixMax) {
      wrap.appendChild(el("p", {"class": "note", id: "matrix-note"}, shown + " workloads match: the matrix shows at most " +
        D.matrixMax + "; narrow the filter."));
      root.setAttribute("data-cells", "0");
      return;
    }
    groups.forEach(function (g, i) { ends.push("r" + i); });
    var table = el("table", {"class": "matrix", id: "matrix"}), thead = el("thead"), hr = el("tr");
    hr.appendChild(el("th", null, "from \u2193 to \u2192"));
    ends.forEach(function (e) {
      var th = el("th", {title: e[0] === "r" ? groups[+e.slice(1)][1].join(", ") : label(e), "data-end": e,
                         "class": e[0] === "r" ? "outside" : ""});
      th.appendChild(el("div", null, e[0] === "r" ? "\u2601 " + groups[+e.slice(1)][0] : nodes[+e.slice(1)][1] + "[" + nodes[+e.slice(1)][2] + "]"));
      hr.appendChild(th);
    });
    thead.appendChild(hr); table.appendChild(thead);
    var tbody = el("tbody"), cells = 0;
    ends.forEach(function (s) {
      var tr = el("tr"); tr.appendChild(el("th", {title: label(s), "data-end": s, "class": s[0] === "r" ? "outside" : ""},
        s[0] === "r" ? "\u2601 " + groups[+s.slice(1)][0] : label(s)));
      ends.forEach(function (d) {
        var c = connOf(s, d), td;
        if (c === "self") td = el("td", {"class": "self", title: "the workload with itself"}, "\u2014");
        else if (c === "na") td = el("td", {"class": "na"}, "");
        else if (c === null) td = el("td", {"class": "none", title: label(s) + " \u2192 " + label(d) + ": none"}, "\u00b7");
        else { td = el("td", {"class": conns[c] === "All" ? "all" : "ports", title: label(s) + " \u2192 " + label(d) + ": " + conns[c]}, conns[c]); cells++; }
        if (c !== "na" && c !== "self") { td.setAttribute("data-s", s); td.setAttribute("data-d", d); }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody); wrap.appendChild(table);
    root.setAttribute("data-cells", String(cells));
  }
  // -- detail ---------------------------------------------------------------------------------------
  var rulesOf = D.policies.map(function () { return [[], []]; });
  D.rules.forEach(function (r, k) { rulesOf[r[0]][r[1]].push(k); });
  function ruleConn(r, dst) {
    if (dst !== null) { for (var i = 0; i < r[6].length; i++) if (r[6][i][0] === dst) return conns[r[6][i][1]]; }
    return conns[r[3]];
  }
  function side(dir, w, peer, dstClass) { // dir 1: egress of workload w, 0: ingress of w
    var cls = nodes[w][3], sel = D.selecting[cls][dir === 1 ? 0 : 1], out = {sel: sel, allowing: []};
    sel.forEach(function (p) {
      rulesOf[p][dir].forEach(function (k) {
        var r = D.rules[k];
        var match = peer[0] === "w" ? r[4].indexOf(nodes[+peer.slice(1)][3]) >= 0 : r[5].indexOf(+peer.slice(1)) >= 0;
        if (match) out.allowing.push([r[2], ruleConn(r, dstClass)]);
      });
    });
    return out;
  }
  function showDetail(s, d) {
    var box = document.getElementById("detail"); clear(box);
    var c = connOf(s, d);
    box.setAttribute("data-pair", s + "," + d);
    box.appendChild(el("div", {"class": "mono"}, label(s) + " \u2192 " + label(d)));
    if (c === "na") { box.appendChild(el("p", null, "two addresses outside the cluster: NetworkPolicies do not police that")); return; }
    if (c === "self") { box.appendChild(el("p", null, "a workload with itself: traffic within a workload is not listed")); return; }
    var ok = c !== null;
    box.appendChild(el("div", {"class": "verdict " + (ok ? "allowed" : "denied")}, ok ? "ALLOWED: " + conns[c] : "DENIED"));
    ["s", "d"].forEach(function (which) {
      var me = which === "s" ? s : d, other = which === "s" ? d : s;
      if (me[0] !== "w") {
        var g = groups[+me.slice(1)];
        var p = el("div", {"class": "side"}); p.appendChild(el("b", null, "outside the cluster: "));
        p.appendChild(el("span", {"class": "mono"}, g[1].join(", ")));
        box.appendChild(p); return;
      }
      var w = +me.slice(1), dir = which === "s" ? 1 : 0;
      var dstClass = d[0] === "w" ? nodes[+d.slice(1)][3] : null;
      var r = side(dir, w, other, dstClass);
      var div = el("div", {"class": "side", "data-side": dir === 1 ? "egress" : "ingress"});
      div.appendChild(el("b", null, (dir === 1 ? "Egress of " : "Ingress of ") + key(w)));
      if (!r.sel.length) {
        div.appendChild(el("p", null, "not isolated (no NetworkPolicy selects it for " + (dir === 1 ? "Egress" : "Ingress") + "): all allowed"));
      } else {
        div.appendChild(el("p", null, "isolated by:"));
        var ul = el("ul");
        r.sel.forEach(function (p) { ul.appendChild(el("li", {"class": "mono policy"}, D.policies[p][0] + "/" + D.policies[p][1])); });
        div.appendChild(ul);
        if (!r.allowing.length) div.appendChild(el("p", {"class": "denied"}, "no rule of those policies admits " + label(other) + ": denied"));
        else {
          div.appendChild(el("p", null, "rules admitting " + label(other) + ":"));
          var ul2 = el("ul");
          r.allowing.forEach(function (a) {
            var li = el("li", {"class": "rule"}); li.appendChild(el("span", {"class": "mono"}, a[0]));
            li.appendChild(document.createTextNode(": " + (a[1] || "no port applies to this destination"))); ul2.appendChild(li);
          });
          div.appendChild(ul2);
        }
      }
      box.appendChild(div);
    });
  }
  function select(s, d) {
    Array.prototype.forEach.call(document.querySelectorAll("td.sel,.edge.hl"), function (e) { e.classList.remove("sel", "hl"); });
    var pic = document.getElementById("picture"); if (pic) pic.classList.remove("focus");
    Array.prototype.forEach.call(document.querySelectorAll('[data-s="' + s + '"][data-d="' + d + '"]'), function (e) {
      e.classList.add(e.tagName.toLowerCase() === "td" ? "sel" : "hl");
    });
    showDetail(s, d);
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    while (t && t !== document && !(t.getAttribute && (t.getAttribute("data-s") || t.getAttribute("data-id")))) t = t.parentNode;
    if (!t || t === document) return;
    if (t.getAttribute("data-s")) { select(t.getAttribute("data-s"), t.getAttribute("data-d")); return; }
    var id = t.getAttribute("data-id"), pic = document.getElementById("picture");
    Array.prototype.forEach.call(pic.querySelectorAll(".edge"), function (p) {
      p.classList.toggle("hl", p.getAttribute("data-s") === id || p.getAttribute("data-d") === id);
    });
    pic.classList.add("focus");
  });
  // -- start ------------------------------------------------------------------------------------------
  function fragment(name) {
    var h = location.hash.replace(/^#/, "").split("&");
    for (var i = 0; i < h.length; i++) { var kv = h[i].split("="); if (kv[0] === name) return decodeURIComponent(kv.slice(1).join("=")); }
    return null;
  }
  try {
    var warn = document.getElementById("warnings");
    D.warnings.forEach(function (w) { warn.appendChild(el("li", null, w)); });
    if (!D.warnings.length) warn.appendChild(el("li", {"class": "note"}, "none"));
    if (D.tooLarge) { root.setAttribute("data-status", "too-large"); return; }
    var f = fragment("filter") || "";
    filterBox.value = f;
    filterBox.addEventListener("input", function () { applyFilter(filterBox.value); });
    applyFilter(f);
    var p = fragment("pair");
    if (p) { var sd = p.split(","); select(sd[0], sd[1]); }
    root.setAttribute("data-status", "ready");
  } catch (e) {
    root.setAttribute("data-status", "error"); errors.push(String(e && e.stack || e)); root.setAttribute("data-errors", errors.join(" | "));
  }
})();
