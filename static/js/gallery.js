// Gallery lightbox: each thumbnail links to its full-size image (which works without this
// script); with it, the link opens a modal <dialog> instead. The dialog keeps focus inside
// (the browser's own modal behaviour), Escape or "Close" shuts it and focus returns to the
// thumbnail, and the arrow keys or the buttons step through the gallery.
(function () {
  "use strict";

  function button(label, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button--quiet " + className;
    element.textContent = label;
    return element;
  }

  function setup(gallery) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll("[data-gallery-item]"));
    if (!links.length || typeof HTMLDialogElement !== "function") {
      return;
    }
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", gettext("Gallery"));
    var figure = document.createElement("figure");
    figure.className = "lightbox__figure";
    var image = document.createElement("img");
    image.className = "lightbox__image";
    var caption = document.createElement("figcaption");
    caption.className = "lightbox__caption";
    var bar = document.createElement("div");
    bar.className = "lightbox__bar";
    var status = document.createElement("span");
    status.className = "lightbox__status";
    status.setAttribute("aria-live", "polite");
    var nav = document.createElement("div");
    nav.className = "lightbox__nav";
    var previous = button(gettext("Previous"), "lightbox__previous");
    var next = button(gettext("Next"), "lightbox__next");
    var close = button(gettext("Close"), "lightbox__close");
    nav.append(previous, next, close);
    bar.append(status, nav);
    figure.append(image, caption);
    dialog.append(figure, bar);
    document.body.appendChild(dialog);

    var current = 0;
    var opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var thumb = link.querySelector("img");
      var text = link.closest("figure") && link.closest("figure").querySelector("figcaption");
      image.src = link.href;
      image.alt = thumb ? thumb.alt : "";
      if (thumb && thumb.width && thumb.height) {
        // The full image has the thumbnail's proportions: reserve its space before it loads.
        image.width = thumb.width * 2;
        image.height = thumb.height * 2;
      }
      caption.textContent = text ? text.textContent : "";
      status.textContent = interpolate(
        gettext("Picture %(number)s of %(total)s"),
        { number: current + 1, total: links.length },
        true
      );
      previous.hidden = next.hidden = links.length < 2;
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) {
          return; // a new tab or window, as the visitor asked
        }
        event.preventDefault();
        opener = link;
        show(index);
        dialog.showModal();
        close.focus();
      });
    });
    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    });
    // A click on the backdrop (outside the figure and the bar) closes, as people expect.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }
    });
    dialog.addEventListener("close", function () {
      image.removeAttribute("src");
      if (opener) { opener.focus(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery]"), setup);
})();
