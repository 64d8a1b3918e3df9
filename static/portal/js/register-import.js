/* Progress of a register import: polls the status page's JSON (?format=json) and moves the bar.
   Without JavaScript the page refreshes itself through <noscript><meta http-equiv="refresh">. */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status-url");
  var bar = box.querySelector("progress");
  var statusText = box.querySelector("[data-import-status]");
  var rowsText = box.querySelector("[data-import-rows]");
  var rowsTemplate = box.getAttribute("data-rows-template") || "{done} / {total}";
  var delay = 1000;
  var failures = 0;

  function show(data) {
    if (statusText) {
      statusText.textContent = data.status_label;
    }
    if (rowsText) {
      rowsText.textContent = rowsTemplate
        .replace("{done}", String(data.processed_rows))
        .replace("{total}", String(data.total_rows));
    }
    if (bar) {
      if (data.status === "writing") {
        bar.removeAttribute("value"); // indeterminate while the rows are written
      } else {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
      }
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.finished) {
          window.location.reload(); // the page then shows the summary or the errors
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, delay * (failures + 1));
        } else {
          window.location.reload();
        }
      });
  }

  window.setTimeout(poll, delay);
})();
