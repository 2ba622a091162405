// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Meeting sign-in (issue 22): the scanned link's page posts its code at
  // once; the room's screen fetches a fresh code every few seconds.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (f) { f.submit(); });
  document.querySelectorAll("[data-check-all], [data-check-none]").forEach(function (b) {
    b.addEventListener("click", function () {
      var name = b.getAttribute("data-check-all") || b.getAttribute("data-check-none");
      var on = b.hasAttribute("data-check-all");
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) { c.checked = on; });
    });
  });
  document.querySelectorAll("[data-code-url]").forEach(function (box) {
    var img = box.querySelector("#qr"), exp = box.querySelector("#qr-expires"), count = box.querySelector("#qr-count");
    function refresh() {
      fetch(box.getAttribute("data-code-url"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (!v) return;
          img.src = v.qr;
          img.setAttribute("data-url", v.url);
          exp.textContent = v.expires;
          count.textContent = v.signed;
        })
        .catch(function () {});
    }
    setInterval(refresh, 5000);
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("a[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (window.history.length > 1) { e.preventDefault(); window.history.back(); }
    });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  function setAll(value) {
    document.querySelectorAll("table.attendance tbody tr").forEach(function (tr) {
      var r = tr.querySelector('input[type=radio][value="' + value + '"]');
      if (r) r.checked = true;
    });
  }
  document.querySelectorAll("[data-all-present]").forEach(function (b) {
    b.addEventListener("click", function () { setAll("present"); });
  });
  document.querySelectorAll("[data-all-clear]").forEach(function (b) {
    b.addEventListener("click", function () { setAll(""); });
  });
  // Attendance picker: show one department or the names matching a search,
  // and mark everyone shown as present (a whole department at once).
  document.querySelectorAll("[data-attpick]").forEach(function (box) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("table.attendance tbody tr[data-org]"));
    var sel = box.querySelector("[data-att-org]"), name = box.querySelector("[data-att-name]");
    var orgs = [];
    rows.forEach(function (tr) { var o = tr.getAttribute("data-org"); if (orgs.indexOf(o) < 0) orgs.push(o); });
    orgs.forEach(function (o) { var opt = document.createElement("option"); opt.value = o; opt.textContent = o; sel.appendChild(opt); });
    function apply() {
      var o = sel.value, q = name.value.trim();
      rows.forEach(function (tr) {
        tr.hidden = (o && tr.getAttribute("data-org") !== o) || (q && tr.getAttribute("data-name").indexOf(q) < 0);
      });
    }
    sel.addEventListener("change", apply);
    name.addEventListener("input", apply);
    box.querySelector("[data-att-shown]").addEventListener("click", function () {
      rows.forEach(function (tr) {
        if (tr.hidden) return;
        var r = tr.querySelector('input[type=radio][value="present"]');
        if (r) r.checked = true;
      });
    });
    box.hidden = false;
  });
});
