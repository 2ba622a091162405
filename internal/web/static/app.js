// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
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
