/* mlwarden report: client-side findings table.
 * Every string in the data came from AWS or a template and is untrusted: it reaches
 * the page only through textContent / option.text / setAttribute on data-* — never
 * innerHTML. The data is column arrays of indexes into one string table.
 */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("mlw-data").textContent);
  var S = D.strings, F = D.f, N = F.p.length;
  var STATUSES = D.statuses, SEVS = D.severities;
  var P = D.policies, R = D.resources;
  // policy row: [id, title, severityIdx, category, description, [controls], "", quoted id]
  // resource row: [type, id, arn, account, region, source, tagsJson|-1, quoted label]

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function resLabel(ri) {
    // ARN, else id; a coverage gap's "*" means "every resource of this type here".
    var r = R[ri];
    if (S[r[2]]) return S[r[2]];
    return S[r[1]] !== "*" ? S[r[1]] : [S[r[0]], S[r[3]], S[r[4]], "*"].join("/");
  }

  // ---- filters ---------------------------------------------------------------
  // Each filter is a set of checkboxes: none ticked means "all"; several mean "any of".
  var FILTERS = ["f-status", "f-severity", "f-category", "f-type", "f-account", "f-region", "f-control"];
  function fillMulti(id, values) {
    var box = $(id).querySelector(".multi-options");
    values.forEach(function (v) {
      var lab = el("label"), cb = document.createElement("input");
      cb.type = "checkbox"; cb.value = v; cb.name = id;
      lab.appendChild(cb); lab.appendChild(document.createTextNode(v)); box.appendChild(lab);
    });
  }
  function chosen(id) {
    return Array.prototype.map.call($(id).querySelectorAll("input:checked"), function (cb) { return cb.value; });
  }
  function summarise(id) {
    var c = chosen(id);
    $(id).querySelector(".multi-summary").textContent = !c.length ? "all" : c.length <= 2 ? c.join(", ") : c.length + " chosen";
  }
  function uniq(arr) { return Array.from(new Set(arr)).sort(); }
  fillMulti("f-status", STATUSES);
  fillMulti("f-severity", SEVS);
  fillMulti("f-category", uniq(P.map(function (p) { return S[p[3]]; })));
  fillMulti("f-type", uniq(R.map(function (r) { return S[r[0]]; })));
  fillMulti("f-account", uniq(R.map(function (r) { return S[r[3]]; })));
  fillMulti("f-region", uniq(R.map(function (r) { return S[r[4]]; })));
  fillMulti("f-control", uniq([].concat.apply([], P.map(function (p) { return p[5].map(function (c) { return S[c]; }); }))));

  var state = { sort: "status", dir: 1, page: 0, size: 100, resource: -1, rows: null, selected: -1 };
  var haystack = null;  // lower-cased search text per finding, built on first search

  function buildHaystack() {
    haystack = new Array(N);
    for (var i = 0; i < N; i++) {
      var p = P[F.p[i]], r = R[F.r[i]];
      haystack[i] = (S[p[0]] + "\n" + S[p[1]] + "\n" + S[F.m[i]] + "\n" + S[r[0]] + "\n" + S[r[1]] + "\n" + S[r[2]]).toLowerCase();
    }
  }

  function asSet(values) { var o = {}; values.forEach(function (v) { o[v] = true; }); return values.length ? o : null; }
  function filtered() {
    var st = asSet(chosen("f-status").map(function (v) { return STATUSES.indexOf(v); })),
        sv = asSet(chosen("f-severity").map(function (v) { return SEVS.indexOf(v); })),
        cat = asSet(chosen("f-category")), ty = asSet(chosen("f-type")), ac = asSet(chosen("f-account")),
        rg = asSet(chosen("f-region")), ct = asSet(chosen("f-control")),
        q = $("f-search").value.trim().toLowerCase();
    var polOk = P.map(function (p) {
      if (sv && !sv[p[2]]) return false;
      if (cat && !cat[S[p[3]]]) return false;
      if (ct && !p[5].some(function (c) { return ct[S[c]]; })) return false;
      return true;
    });
    var resOk = R.map(function (r) {
      return !(ty && !ty[S[r[0]]]) && !(ac && !ac[S[r[3]]]) && !(rg && !rg[S[r[4]]]);
    });
    if (q && !haystack) buildHaystack();
    var out = [];
    for (var i = 0; i < N; i++) {
      if (st && !st[F.s[i]]) continue;
      if (!polOk[F.p[i]] || !resOk[F.r[i]]) continue;
      if (state.resource >= 0 && F.r[i] !== state.resource) continue;
      if (q && haystack[i].indexOf(q) < 0) continue;
      out.push(i);
    }
    return out;
  }

  var KEYS = {
    status: function (i) { return F.s[i] * 10 + P[F.p[i]][2]; },
    severity: function (i) { return P[F.p[i]][2] * 10 + F.s[i]; },
    policy: function (i) { return S[P[F.p[i]][0]]; },
    category: function (i) { return S[P[F.p[i]][3]]; },
    resource: function (i) { return resLabel(F.r[i]); },
    region: function (i) { var r = R[F.r[i]]; return S[r[3]] + "/" + S[r[4]]; }
  };
  function sortRows(rows) {
    var key = KEYS[state.sort], dir = state.dir;
    var k = new Array(N);
    rows.forEach(function (i) { k[i] = key(i); });
    rows.sort(function (a, b) { return k[a] < k[b] ? -dir : k[a] > k[b] ? dir : a - b; });
    return rows;
  }

  function refresh(keepPage) {
    state.rows = sortRows(filtered());
    if (!keepPage) state.page = 0;
    draw();
  }

  function badge(kind, value) { return el("span", "badge " + kind + "-" + value, value); }

  function draw() {
    var rows = state.rows, body = $("findings-body"), size = state.size;
    var pages = Math.max(1, Math.ceil(rows.length / size));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * size, end = Math.min(rows.length, start + size);
    var frag = document.createDocumentFragment();
    for (var n = start; n < end; n++) {
      var i = rows[n], p = P[F.p[i]], r = R[F.r[i]];
      var tr = el("tr"); tr.tabIndex = 0; tr.setAttribute("data-index", String(i));
      if (i === state.selected) tr.className = "selected";
      var c1 = el("td"); c1.appendChild(badge("st", STATUSES[F.s[i]])); tr.appendChild(c1);
      var c2 = el("td"); c2.appendChild(badge("sv", SEVS[p[2]])); tr.appendChild(c2);
      var c3 = el("td"); c3.appendChild(el("code", null, S[p[0]])); c3.appendChild(el("div", null, S[p[1]])); tr.appendChild(c3);
      tr.appendChild(el("td", null, S[p[3]]));
      var c5 = el("td"); c5.appendChild(el("div", null, S[r[1]])); c5.appendChild(el("small", null, S[r[0]])); tr.appendChild(c5);
      tr.appendChild(el("td", null, S[r[3]] + " / " + S[r[4]]));
      tr.appendChild(el("td", "msg", S[F.m[i]]));
      frag.appendChild(tr);
    }
    clear(body); body.appendChild(frag);
    $("match-count").textContent = rows.length + " of " + N + " findings match";
    $("page-info").textContent = rows.length ? ("rows " + (start + 1) + "–" + end + " · page " + (state.page + 1) + " of " + pages) : "no rows";
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
    var rf = $("resource-filter");
    rf.hidden = state.resource < 0;
    if (state.resource >= 0) $("resource-filter-name").textContent = resLabel(state.resource);
  }

  // ---- detail panel ------------------------------------------------------------
  function kv(dl, pairs) {
    clear(dl);
    pairs.forEach(function (pr) { if (pr[1] === "" || pr[1] === undefined) return; dl.appendChild(el("dt", null, pr[0])); dl.appendChild(el("dd", null, pr[1])); });
  }
  function openDetail(i) {
    state.selected = i;
    var p = P[F.p[i]], r = R[F.r[i]], st = STATUSES[F.s[i]];
    $("d-title").textContent = S[p[1]];
    var ds = $("d-status"); ds.textContent = st; ds.className = "badge st-" + st;
    var dv = $("d-severity"); dv.textContent = SEVS[p[2]]; dv.className = "badge sv-" + SEVS[p[2]];
    $("d-policy").textContent = S[p[0]];
    $("d-category").textContent = S[p[3]];
    $("d-message").textContent = S[F.m[i]];
    // [[violation (at its attribute path)...], "template.yaml:12" or ""]
    var vs = F.v && F.v[i] >= 0 ? JSON.parse(S[F.v[i]]) : null, vl = $("d-violations"); clear(vl);
    $("d-violations-box").hidden = !vs;
    if (vs) {
      vs[0].forEach(function (t) { vl.appendChild(el("li", null, t)); });
      $("d-at").textContent = vs[1] ? "In the template at " + vs[1] : "";
    }
    $("d-description").textContent = S[p[4]];
    kv($("d-resource"), [["Type", S[r[0]]], ["Id", S[r[1]]], ["ARN", S[r[2]]], ["Account", S[r[3]]], ["Region", S[r[4]]], ["Source", S[r[5]]]]);
    $("d-evidence").textContent = F.e[i] >= 0 ? JSON.stringify(JSON.parse(S[F.e[i]]), null, 1) : "(no evidence recorded)";
    $("d-waiver-box").hidden = F.w[i] < 0;
    $("d-waiver").textContent = F.w[i] >= 0 ? JSON.stringify(JSON.parse(S[F.w[i]]), null, 1) : "";
    var ctl = $("d-controls"); clear(ctl);
    p[5].forEach(function (c) { ctl.appendChild(el("li", null, S[c])); });
    if (!p[5].length) ctl.appendChild(el("li", null, "no framework control mapped"));
    // advice row: [runbook, title, what it does, how it is applied, missing runbook, [steps], what to change]
    var a = D.advice[F.a[i]], runbook = S[a[0]];
    $("d-remedy").textContent = runbook ? "Runbook " + runbook + ": " + S[a[1]] + "."
      : S[a[4]] ? "No runbook for this policy (it names \u201c" + S[a[4]] + "\u201d, which this mlwarden does not have): fix it by hand."
      : "No runbook for this policy: fix it by hand.";
    $("d-remedy-does").textContent = runbook ? S[a[2]] : "";
    $("d-remedy-does").hidden = !(runbook && S[a[2]]);
    var ol = $("d-remedy-steps"); clear(ol);
    var steps = a[5].map(function (x) { return S[x]; });
    if (!runbook && !steps.length) steps = [S[a[6]]];
    steps.forEach(function (x) { ol.appendChild(el("li", null, x)); });
    if (!runbook) ol.appendChild(el("li", null, "Re-scan to confirm."));
    ol.hidden = !ol.firstChild;
    // `mlwarden remediate` acts on FAIL findings only, and only through a runbook.
    var actionable = !!runbook && st === "FAIL";
    $("d-command-box").hidden = !actionable;
    $("d-command-how").textContent = actionable ? S[a[3]] : "";
    $("d-command").textContent = actionable ? "mlwarden remediate findings.json --policy " + S[p[7]] + " --resource " + S[r[7]] : "";
    $("d-open-resource").setAttribute("data-resource", String(F.r[i]));
    $("detail").hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll("#findings-body tr.selected"), function (t) { t.className = ""; });
    var row = document.querySelector('#findings-body tr[data-index="' + i + '"]');
    if (row) row.className = "selected";
  }

  function openResource(ri) {
    var r = R[ri];
    $("rv-name").textContent = resLabel(ri);
    kv($("rv-meta"), [["Type", S[r[0]]], ["Id", S[r[1]]], ["ARN", S[r[2]]], ["Account", S[r[3]]], ["Region", S[r[4]]], ["Source", S[r[5]]]]);
    var tb = $("rv-tags"); clear(tb);
    var tags = r[6] >= 0 ? JSON.parse(S[r[6]]) : {};
    Object.keys(tags).sort().forEach(function (k) { var tr = el("tr"); tr.appendChild(el("td", null, k)); tr.appendChild(el("td", null, tags[k])); tb.appendChild(tr); });
    if (!Object.keys(tags).length) { var tr0 = el("tr"); var td0 = el("td", null, r[6] >= 0 ? "no tags" : "tags not recorded in this report (render with inventory.json beside findings.json)"); td0.colSpan = 2; tr0.appendChild(td0); tb.appendChild(tr0); }
    var fb = $("rv-findings"); clear(fb);
    for (var i = 0; i < N; i++) {
      if (F.r[i] !== ri) continue;
      var p = P[F.p[i]], tr = el("tr");
      var a = el("td"); a.appendChild(badge("st", STATUSES[F.s[i]])); tr.appendChild(a);
      var b = el("td"); b.appendChild(badge("sv", SEVS[p[2]])); tr.appendChild(b);
      tr.appendChild(el("td", null, S[p[0]] + " " + S[p[1]]));
      tr.appendChild(el("td", null, S[F.m[i]]));
      fb.appendChild(tr);
    }
    state.resource = ri;
    $("resource-view").hidden = false;
    $("detail").hidden = true;
    refresh();
    $("resource-view").scrollIntoView();
  }
  function closeResource() { state.resource = -1; $("resource-view").hidden = true; refresh(); }

  // ---- wiring --------------------------------------------------------------------
  FILTERS.forEach(function (id) {
    $(id).addEventListener("change", function () { summarise(id); refresh(); });
  });
  // One filter open at a time; a click elsewhere closes it.
  document.addEventListener("click", function (ev) {
    FILTERS.forEach(function (id) { if ($(id).open && !$(id).contains(ev.target)) $(id).open = false; });
  });
  var timer = null;
  $("f-search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 120); });
  $("f-reset").addEventListener("click", function () {
    $("filters").reset(); FILTERS.forEach(summarise); state.resource = -1; $("resource-view").hidden = true; refresh();
  });
  $("page-prev").addEventListener("click", function () { state.page--; draw(); });
  $("page-next").addEventListener("click", function () { state.page++; draw(); });
  $("page-size").addEventListener("change", function () { state.size = +this.value; refresh(); });
  $("findings-body").addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr"); if (tr) openDetail(+tr.getAttribute("data-index"));
  });
  $("findings-body").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var tr = ev.target.closest("tr"); if (tr) openDetail(+tr.getAttribute("data-index")); }
  });
  $("detail-close").addEventListener("click", function () { $("detail").hidden = true; });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") $("detail").hidden = true; });
  $("d-open-resource").addEventListener("click", function () { openResource(+this.getAttribute("data-resource")); });
  $("rv-close").addEventListener("click", closeResource);
  $("resource-filter-clear").addEventListener("click", closeResource);
  Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (th) {
    th.addEventListener("click", function () {
      var k = th.getAttribute("data-sort");
      state.dir = state.sort === k ? -state.dir : 1; state.sort = k;
      Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      refresh(true);
    });
  });

  // Printing (and --format pdf): show every failing finding, not one page.
  var PRINT_MAX = 2000;  // a PDF of tens of thousands of rows helps nobody; the files hold them all
  function printAll() {
    Array.prototype.forEach.call($("f-status").querySelectorAll("input"), function (cb) { cb.checked = false; });
    summarise("f-status");
    var pass = STATUSES.indexOf("PASS");
    var rows = sortRows(filtered().filter(function (i) { return F.s[i] !== pass; }));
    $("print-note").textContent = rows.length > PRINT_MAX
      ? "Printed: the first " + PRINT_MAX + " of " + rows.length + " findings that did not pass; findings.json and findings.csv hold every one."
      : "Printed: every finding that did not pass (" + rows.length + ").";
    state.rows = rows.slice(0, PRINT_MAX); state.page = 0; state.size = Math.max(state.rows.length, 1);
    draw();
    $("match-count").textContent = rows.length + " of " + N + " findings match";
  }
  window.addEventListener("beforeprint", printAll);
  window.mlwarden = { printAll: printAll, open: openDetail, openResource: openResource };

  refresh();
  if (document.body.getAttribute("data-print-all")) printAll();
  document.body.setAttribute("data-ready", "1");
})();
