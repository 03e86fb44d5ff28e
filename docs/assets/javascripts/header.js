// Material's menu and search buttons are <label>s for hidden checkboxes: a mouse can click them,
// but a keyboard can neither reach nor press them, so on a narrow screen the navigation was out
// of reach without a mouse. Each one is replaced here by a real button that toggles the same
// checkbox, so Material's own behaviour is unchanged. overrides/partials/header.html names them.
(function () {
  "use strict";

  function enhance() {
    document.querySelectorAll("label[data-sog-header-button]").forEach(function (label) {
      var toggle = document.getElementById(label.htmlFor);
      if (!toggle || label.hasAttribute("data-sog-replaced")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = label.className + " sog-header-button sog-header-button--" + label.htmlFor.replace(/^_+/, "");
      button.setAttribute("aria-label", label.getAttribute("aria-label"));
      button.setAttribute("aria-expanded", String(toggle.checked));
      label.childNodes.forEach(function (node) { button.appendChild(node.cloneNode(true)); });
      button.addEventListener("click", function () { toggle.click(); });
      toggle.addEventListener("change", function () {
        button.setAttribute("aria-expanded", String(toggle.checked));
      });
      label.setAttribute("data-sog-replaced", "");
      label.style.display = "none";
      label.after(button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }

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
