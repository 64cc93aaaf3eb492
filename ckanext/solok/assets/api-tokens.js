/* The API token page without CKAN's inline handlers (onchange, hx-on), which the portal's
 * Content-Security-Policy blocks: the "Revoke" button is enabled once a token is ticked and disabled
 * after revoking, and a newly created token is scrolled into view. Listeners are on the document, set
 * when this file runs (see upload-field.js). */
(function () {
  function revokeButton() {
    return document.getElementById('revoke-tokens-button');
  }
  document.addEventListener('change', function (event) {
    var button = revokeButton();
    if (button && event.target.matches && event.target.matches('[name=token]')) {
      button.disabled = !document.querySelector('[name=token]:checked');
    }
  });
  document.addEventListener('htmx:afterRequest', function (event) {
    var button = revokeButton();
    if (button && event.target.contains && event.target.contains(button)) {
      button.disabled = true;
    }
  });
  document.addEventListener('htmx:oobAfterSwap', function () {
    var row = document.querySelector('[data-solok-new-token]');
    if (row) {
      row.removeAttribute('data-solok-new-token');
      row.scrollIntoView(false);
    }
  });
})();
