// The header, for keyboards and for small screens. Material's own behaviour is unchanged.
// - Material's menu and search buttons are <label>s for hidden checkboxes: a mouse can click them,
//   but a keyboard can neither reach nor press them. Each is replaced by a real button that toggles
//   the same checkbox, named with Material's own words from the page (the navigation's and the
//   search field's names), so the names are in the page's language.
// - Search opened from its button puts focus in the search field; Escape brings it back.
// - Material's icons are inline SVGs without names, inside controls that have one: hidden from
//   assistive technology, as decorative images are.
// - The header's real height, which changes with language, zoom and text spacing, is kept in
//   --sog-header-height, which theme.css reserves above anything scrolled into view, so the sticky
//   header never covers the focused element.
(function () {
  "use strict";

  function replace(label, name, controls) {
    var toggle = document.getElementById(label.htmlFor);
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className + " sog-header-button sog-header-button--" + label.htmlFor.replace(/^_+/, "");
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-expanded", String(toggle.checked));
    if (!controls.id) controls.id = "sog-" + label.htmlFor.replace(/^_+/, "");
    button.setAttribute("aria-controls", controls.id);
    label.childNodes.forEach(function (node) { button.appendChild(node.cloneNode(true)); });
    button.addEventListener("click", function () { toggle.click(); });
    toggle.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(toggle.checked));
    });
    label.hidden = true;
    label.after(button);
    return button;
  }

  function enhance() {
    document.querySelectorAll(".md-header svg, .md-sidebar svg, .md-search svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
    var menu = document.querySelector('label.md-header__button[for="__drawer"]');
    var navigation = document.querySelector(".md-nav--primary[aria-label]");
    var sidebar = navigation && navigation.closest(".md-sidebar");
    if (menu && sidebar) replace(menu, navigation.getAttribute("aria-label"), sidebar);

    var search = document.querySelector('label.md-header__button[for="__search"]');
    var field = document.querySelector(".md-search__input");
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (search && field && dialog) {
      var name = field.getAttribute("aria-label");
      // axe's aria-dialog-name: Material's search dialog has no name of its own.
      dialog.setAttribute("aria-label", name);
      var button = replace(search, name, dialog);
      var toggle = document.getElementById("__search");
      button.addEventListener("click", function () {
        if (toggle.checked) field.focus();
      });
      // Material closes the search on Escape and drops focus on the page: back to the button
      // that opened it, where it is shown (Material shows the field itself from 960 px).
      document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !toggle.checked) return;
        setTimeout(function () {
          if (button.offsetParent) button.focus();
        });
      });
    }

    var header = document.querySelector(".md-header");
    if (header && window.ResizeObserver) {
      new ResizeObserver(function () {
        document.documentElement.style.setProperty("--sog-header-height", header.offsetHeight + "px");
      }).observe(header);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }

  // A text box that gets focus is scrolled to show its caret, and that scroll ignores the room
  // kept free under the header (scroll-margin-top in theme.css): a box reached by Shift+Tab ended
  // under the header. Once the browser has scrolled, bring such a box down below the header.
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    var header = document.querySelector(".md-header");
    if (!header || !(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return;
    requestAnimationFrame(function () {
      // 12 px: the focus ring (3 px, 2 px away) and a little air.
      var covered = header.getBoundingClientRect().bottom + 12 - field.getBoundingClientRect().top;
      if (covered > 0) window.scrollBy(0, -covered);
    });
  });

  // On a phone Material locks the page's scrolling while its search is open, and unlocks it 0.1 s
  // after the search closes. Tab out of the search moves focus into the page within that time,
  // where the browser cannot scroll to it, so the focused link stayed out of view: once the page
  // is unlocked, bring whatever has focus into view.
  new MutationObserver(function () {
    var focused = document.activeElement;
    if (!document.body.hasAttribute("data-md-scrolllock") && focused && focused !== document.body) {
      focused.scrollIntoView({ block: "center" });
    }
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-scrolllock"] });
})();
