/* Remember and forget, for any form marked data-sog-memory="KEY" (the letters, the comparison
   worksheet, the plan): what was typed is kept in this browser's localStorage only while the
   person ticks Remember, and Forget clears it at once. Nothing is ever sent anywhere.

   Each time the page is shown, private-forms.js resets the form and sends "sog:shown"; this puts
   back what was remembered, if anything, then sends "sog:changed" so the page's own scripts
   redraw from the form. Only controls named "field-..." are kept, never the Remember box.
   Markup: templates/form_parts.html.j2 (memory). */
(function () {
  "use strict";

  var PREFIX = "sog-form-";

  var storage = {
    available: function () {
      try {
        return Boolean(window.localStorage);
      } catch (error) {
        return false; // storage blocked by the browser's settings
      }
    },
    read: function (key) {
      try {
        var saved = JSON.parse(window.localStorage.getItem(key));
        return saved && typeof saved === "object" && !Array.isArray(saved) ? saved : null;
      } catch (error) {
        return null;
      }
    },
    write: function (key, values) {
      try {
        window.localStorage.setItem(key, JSON.stringify(values));
      } catch (error) {
        // Storage full or blocked: the page still works, it just keeps nothing.
      }
    },
    clear: function (key) {
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        // Blocked storage holds nothing to clear.
      }
    }
  };

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (control) {
      return control.name && control.name.indexOf("field-") === 0;
    });
  }

  function values(form) {
    var result = {};
    fields(form).forEach(function (control) {
      result[control.name] = control.type === "checkbox" ? control.checked : control.value;
    });
    return result;
  }

  function restore(form, saved) {
    fields(form).forEach(function (control) {
      if (!Object.prototype.hasOwnProperty.call(saved, control.name)) return;
      var value = saved[control.name];
      if (control.type === "checkbox") control.checked = value === true;
      else if (typeof value === "string") control.value = value;
    });
  }

  function setUp(form) {
    var key = PREFIX + form.getAttribute("data-sog-memory");
    var remember = form.querySelector("[data-sog-remember]");
    var forget = form.querySelector("[data-sog-forget]");
    var status = form.querySelector("[data-sog-memory-status]");
    var forgotten = form.querySelector("template[data-sog-memory-forgotten]");

    function changed() {
      form.dispatchEvent(new CustomEvent("sog:changed", { bubbles: true }));
    }

    function remembered(on) {
      remember.checked = on;
      forget.hidden = !on;
    }

    form.addEventListener("sog:shown", function () {
      var saved = storage.read(key);
      if (saved) restore(form, saved);
      remembered(Boolean(saved));
      status.textContent = "";
      changed();
    });

    form.addEventListener("input", function (event) {
      if (event.target !== remember && remember.checked) storage.write(key, values(form));
    });

    form.addEventListener("change", function (event) {
      if (event.target === remember) {
        if (remember.checked) storage.write(key, values(form));
        else storage.clear(key);
        remembered(remember.checked);
        status.textContent = "";
      } else if (remember.checked) {
        storage.write(key, values(form));
      }
    });

    forget.addEventListener("click", function () {
      storage.clear(key);
      form.reset();
      remembered(false);
      changed();
      status.textContent = forgotten.content.textContent;
      remember.focus(); // the Forget button has just been hidden
    });

    // The forms have no submit button, but Enter in a text box still submits in some browsers.
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    if (!storage.available()) remember.closest(".sog-memory").hidden = true;
  }

  document.querySelectorAll("form[data-sog-memory]").forEach(setUp);
})();
