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
});
