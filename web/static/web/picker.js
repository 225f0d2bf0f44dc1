// The circulation picker: filter the States and groups as you type, and say how many
// organisations the form will invite. Without this script every choice is simply listed.
(function () {
  "use strict";
  function setUp(form) {
    var filter = form.querySelector(".picker-filter");
    var count = form.querySelector(".picker-count");
    var typed = form.querySelector("textarea[name=invitees]");
    var labels = Array.prototype.slice.call(form.querySelectorAll(".picker label.choice"));
    var label = form.getAttribute("data-count-label") || "";
    filter.hidden = false;

    function applyFilter() {
      var query = filter.value.trim().toLocaleLowerCase();
      labels.forEach(function (label) {
        label.hidden = query !== "" && label.getAttribute("data-name").indexOf(query) === -1;
      });
    }

    function typedItems() {
      return typed.value.split(/[,\n]/).filter(function (item) { return item.trim() !== ""; }).length;
    }

    function recount() {
      var total = typedItems();
      form.querySelectorAll(".picker input[type=checkbox]:checked").forEach(function (box) {
        total += parseInt(box.getAttribute("data-count"), 10) || 0;
      });
      count.textContent = label + " " + String(total);
    }

    filter.addEventListener("input", applyFilter);
    form.addEventListener("change", recount);
    typed.addEventListener("input", recount);
    recount();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.circulate").forEach(setUp);
  });
})();
