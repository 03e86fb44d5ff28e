/* The comparison worksheet (compare.md.j2): shows the next doctor's column when the person asks
   for it, and any column that has something written in it (remembered, or typed before the page
   was shown again). The columns after the first two start hidden, so the blank printout has two. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-sog-compare]");
  if (!form) return;
  var button = form.querySelector("[data-sog-add-column]");

  function columns() {
    var ids = [];
    form.querySelectorAll("th[data-sog-column]").forEach(function (cell) {
      ids.push(cell.getAttribute("data-sog-column"));
    });
    return ids;
  }

  function cells(id) {
    return form.querySelectorAll('[data-sog-column="' + id + '"]');
  }

  function shown(id) {
    return !cells(id)[0].hidden;
  }

  function show(id) {
    cells(id).forEach(function (cell) { cell.hidden = false; });
  }

  function written(id) {
    return Array.prototype.some.call(cells(id), function (cell) {
      return Array.prototype.some.call(cell.querySelectorAll("input, textarea"), function (control) {
        return control.value.trim() !== "";
      });
    });
  }

  function sync() {
    var ids = columns();
    ids.forEach(function (id, index) {
      var keep = index < 2 || written(id);
      cells(id).forEach(function (cell) { cell.hidden = !keep; });
    });
    button.hidden = ids.every(shown);
  }

  button.addEventListener("click", function () {
    var next = columns().filter(function (id) { return !shown(id); })[0];
    show(next);
    button.hidden = columns().every(shown);
    cells(next)[0].querySelector("input").focus();
  });

  form.addEventListener("sog:changed", sync);
})();
