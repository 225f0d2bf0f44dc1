// The circulation picker: filter the States and groups as you type, and say exactly how many
// organisations the form will invite. Without this script every choice is simply listed.
//
// The count is of distinct organisations, as the server counts them: a ticked State that is also
// in a ticked group, or typed as well as ticked, is invited once. Each group's box carries the
// codes of its members (data-members); "all" means every State and observer State listed
// (data-state). A typed code that is not in the picker invites nobody new: it is already
// invited, the penholder, the addressee, or unknown (and the server then refuses the form).
(function () {
  "use strict";
  function setUp(form) {
    var filter = form.querySelector(".picker-filter");
    var count = form.querySelector(".picker-count");
    var typed = form.querySelector("textarea[name=invitees]");
    var labels = Array.prototype.slice.call(form.querySelectorAll(".picker label.choice"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll(".picker input[type=checkbox]"));
    var label = form.getAttribute("data-count-label") || "";
    filter.hidden = false;

    // What each code the form may carry stands for: a slug for itself, "group:…" for its members.
    var members = Object.create(null);  // no inherited keys: a typed "constructor" is a code
    var states = [];
    boxes.forEach(function (box) {
      var value = box.value;
      if (box.hasAttribute("data-members")) {
        members[value] = box.getAttribute("data-members").split(" ").filter(Boolean);
      } else {
        members[value] = [value];
        if (box.parentNode.hasAttribute("data-state")) {
          states.push(value);
        }
      }
    });
    members.all = states;

    function applyFilter() {
      var query = filter.value.trim().toLocaleLowerCase();
      labels.forEach(function (label) {
        label.hidden = query !== "" && label.getAttribute("data-name").indexOf(query) === -1;
      });
    }

    // The codes typed by hand, split as the server splits them (commas or new lines).
    function typedCodes() {
      return typed.value.split(/[,\n]/).map(function (item) { return item.trim(); })
        .filter(function (item) { return item !== ""; });
    }

    function recount() {
      var chosen = Object.create(null);
      var codes = boxes.filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; })
        .concat(typedCodes());
      codes.forEach(function (code) {
        (members[code] || []).forEach(function (slug) { chosen[slug] = true; });
      });
      count.textContent = label + " " + String(Object.keys(chosen).length);
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
