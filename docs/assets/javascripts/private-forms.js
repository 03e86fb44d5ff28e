/* Private forms: nothing a person ticked or typed comes back on its own.

   Browsers bring a form's state back when a page is shown again (Back, Forward, a restored tab),
   so on a shared computer the next person could see it. Every form marked data-sog-private
   (with autocomplete="off", so the browser does not save what was typed either) is cleared to its
   blank state each time its page is shown; then the form's own script gets a "sog:shown" event on
   the form and puts back only what the person chose to keep. */
(function () {
  "use strict";

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sog-private]").forEach(function (form) {
      form.reset();
      form.dispatchEvent(new CustomEvent("sog:shown"));
    });
  });
})();
