// Remembers which requirements a citizen has ticked, on this device only.
// The checklist works without this file; it only keeps the ticks across visits.
(function () {
  "use strict";
  var list = document.querySelector("[data-checklist]");
  if (!list) return;
  var key = "mpp-checklist:" + list.getAttribute("data-checklist");
  var boxes = list.querySelectorAll("input[type=checkbox]");
  var saved = [];
  try {
    saved = JSON.parse(window.localStorage.getItem(key) || "[]");
  } catch (e) {
    saved = [];
  }
  Array.prototype.forEach.call(boxes, function (box, i) {
    box.checked = saved.indexOf(i) !== -1;
    box.addEventListener("change", function () {
      var ticked = [];
      Array.prototype.forEach.call(boxes, function (b, j) {
        if (b.checked) ticked.push(j);
      });
      try {
        window.localStorage.setItem(key, JSON.stringify(ticked));
      } catch (e) {
        // Private browsing or storage full: the ticks simply are not kept.
      }
    });
  });
})();
