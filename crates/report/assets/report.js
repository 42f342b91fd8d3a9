// torhunt report: sortable and filterable tables. Static: it reads the page, never data from elsewhere,
// and the page's Content-Security-Policy allows it by its hash alone.
(function () {
  "use strict";

  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    if (!cell) return numeric ? -Infinity : "";
    var text = cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cell.textContent;
    if (numeric) {
      var number = parseFloat(text);
      return isNaN(number) ? -Infinity : number;
    }
    return text.trim().toLowerCase();
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, column) {
      header.classList.add("sort");
      header.tabIndex = 0;
      var numeric = header.getAttribute("data-sort-type") === "number";
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, column, numeric);
          var y = cellValue(b, column, numeric);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });
  }

  function applyFilters(tableId) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var controls = document.querySelectorAll('[data-filter-table="' + tableId + '"]');
    var text = "";
    var severity = "";
    Array.prototype.forEach.call(controls, function (control) {
      if (control.tagName === "SELECT") severity = control.value;
      else text = control.value.trim().toLowerCase();
    });
    var rows = table.tBodies[0].rows;
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var visible = (!text || row.textContent.toLowerCase().indexOf(text) !== -1) &&
        (!severity || row.getAttribute("data-severity") === severity);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    var counter = document.querySelector('[data-shown-for="' + tableId + '"]');
    if (counter) counter.textContent = shown + " of " + rows.length + " shown";
  }

  // Following a link to an alert or rule opens its details.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") target.open = true;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-table]"), function (control) {
    var tableId = control.getAttribute("data-filter-table");
    control.addEventListener("input", function () { applyFilters(tableId); });
    applyFilters(tableId);
  });
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // Tells tests (and the curious) that the script ran to the end without an error.
  document.body.setAttribute("data-report-script", "ran");
})();
