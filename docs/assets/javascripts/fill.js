/* Fill-in pages (letters, the comparison worksheet, the plan): what a person types shows where
   it will print. Every [data-sog-fill="NAME"] shows the value of the form control named NAME,
   as text (never as markup), or, while it is empty, its blank line to write on by hand; every
   [data-sog-when="NAME"] paragraph shows only while the tick box NAME is ticked, and every
   [data-sog-show="NAME"] only while NAME has an answer. Markup: templates/form_parts.html.j2. */
(function () {
  "use strict";

  function update(form) {
    document.querySelectorAll("[data-sog-fill]").forEach(function (slot) {
      var control = form.elements.namedItem(slot.getAttribute("data-sog-fill"));
      if (!control) return;
      var value = control.value.trim();
      if (value && slot.textContent !== value) {
        slot.textContent = value;
      } else if (!value && !slot.classList.contains("sog-fill--blank")) {
        slot.replaceChildren.apply(slot, rules(Number(slot.getAttribute("data-sog-rules"))));
      }
      slot.classList.toggle("sog-fill--blank", !value);
    });
    document.querySelectorAll("[data-sog-when]").forEach(function (paragraph) {
      var tick = form.elements.namedItem(paragraph.getAttribute("data-sog-when"));
      paragraph.hidden = !(tick && tick.checked);
    });
    document.querySelectorAll("[data-sog-show]").forEach(function (detail) {
      var control = form.elements.namedItem(detail.getAttribute("data-sog-show"));
      detail.hidden = !(control && control.value.trim());
    });
  }

  // The ruled lines of an empty slot for a few lines, to write on by hand.
  function rules(count) {
    var lines = [];
    for (var index = 0; index < count; index += 1) {
      lines.push(document.createElement("span"));
      lines[index].className = "sog-fill__rule";
    }
    return lines;
  }

  // form-memory.js signals "sog:changed" once it has cleared or restored the form.
  ["input", "change", "sog:changed"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.closest && event.target.closest("form[data-sog-memory]");
      if (form) update(form);
    });
  });
})();
