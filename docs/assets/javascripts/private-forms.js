/* Nothing ticked or typed in a form marked data-sog-private (and autocomplete="off") comes back
   on its own: browsers restore forms on Back and Forward, where the next person at a shared
   computer would see them. Each time the page is shown the form is cleared, then gets a
   "sog:shown" event, so its own script can put back only what the person chose to keep. */
(function () {
  "use strict";

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sog-private]").forEach(function (form) {
      form.reset();
      form.dispatchEvent(new CustomEvent("sog:shown"));
    });
  });
})();
