// Photo picker: the drop zone around a form's file input (templates/includes/photo_field.html).
// The input covers the zone, so dropping and choosing work without this script; it only
// highlights the zone while files are dragged over it and says what was chosen, in the
// page's language (the javascript-catalog script is loaded before it).
(function () {
  "use strict";

  function setup(picker) {
    var zone = picker.querySelector("[data-photo-zone]");
    var input = picker.querySelector("input[type=file]");
    var count = picker.querySelector("[data-photo-count]");
    var depth = 0;

    function dragging(on) {
      zone.classList.toggle("photo-picker__zone--dragging", on);
    }
    input.addEventListener("dragenter", function () { depth += 1; dragging(true); });
    input.addEventListener("dragleave", function () { depth = Math.max(0, depth - 1); if (!depth) { dragging(false); } });
    input.addEventListener("drop", function () { depth = 0; dragging(false); });
    input.addEventListener("change", function () {
      var files = input.files || [];
      if (!files.length) {
        count.textContent = "";
        return;
      }
      var names = Array.prototype.map.call(files, function (file) { return file.name; });
      count.textContent = interpolate(
        ngettext("%(count)s photo chosen: %(names)s", "%(count)s photos chosen: %(names)s", files.length),
        { count: files.length, names: names.join(", ") },
        true
      );
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-photo-picker]"), setup);
})();
