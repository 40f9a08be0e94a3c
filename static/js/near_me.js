// "Near me": ask the browser for the visitor's position only when they click,
// then submit the same GET form the no-JavaScript city choice uses.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-me]");
  if (!form || !("geolocation" in navigator)) {
    return;
  }
  var wrapper = form.querySelector("[data-near-me-locate]");
  var button = form.querySelector("[data-near-me-button]");
  var status = form.querySelector("[data-near-me-status]");
  wrapper.hidden = false;

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = gettext("Finding your location…");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lng.value = position.coords.longitude.toFixed(5);
        form.elements.place.value = "";
        form.elements.city.value = "";
        status.textContent = gettext("Location found. Loading the nearest clinics…");
        form.submit();
      },
      function () {
        button.disabled = false;
        status.textContent = gettext("We could not get your location. Please choose a city instead.");
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
