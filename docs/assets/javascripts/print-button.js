/* A button marked data-sog-print-page prints the page, as the browser's own Print command does
   (the page's print styles decide what goes on paper). Without JavaScript the button is hidden
   (the no-js class) and the page says to use that command. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("button[data-sog-print-page]")) window.print();
  });
})();
