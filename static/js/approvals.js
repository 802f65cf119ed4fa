// Goedkeuren: "Alle updates kiezen" ticks or clears every update's checkbox, and shows
// itself as partly ticked when only some are chosen. Without script the box stays hidden.
(function () {
  "use strict";
  var all = document.getElementById("alles-kiezen");
  if (!all) {
    return;
  }
  // Updates this controller may not approve (four eyes) are disabled and left out.
  var boxes = Array.prototype.slice.call(
    document.querySelectorAll('input[name="update"]:not(:disabled)')
  );
  function sync() {
    var chosen = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = chosen === boxes.length;
    all.indeterminate = chosen > 0 && chosen < boxes.length;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
  sync();
  all.closest(".select-all").hidden = false;
})();
