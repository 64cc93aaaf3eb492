/* The browser's own messages for invalid form fields ("Please fill out this field.") are in the browser's
 * language, not the page's. This sets each message from the page's translations, kept in the data
 * attributes of #solok-validity (templates/base.html): required, email, url, pattern, length, number.
 * "invalid" does not bubble: it is caught on the way down. Typing clears the message so that the
 * browser checks the field again.
 */
(function () {
  function messages() {
    var holder = document.getElementById('solok-validity');
    return holder ? holder.dataset : {};
  }
  document.addEventListener('invalid', function (event) {
    var field = event.target;
    if (!field || !field.validity || !field.setCustomValidity) {
      return;
    }
    var state = field.validity;
    var text = messages();
    var message = '';
    if (state.valueMissing) {
      message = text.required;
    } else if (state.typeMismatch) {
      message = field.type === 'email' ? text.email : text.url;
    } else if (state.patternMismatch) {
      message = text.pattern;
    } else if (state.tooLong || state.tooShort) {
      message = text.length;
    } else if (state.rangeUnderflow || state.rangeOverflow || state.stepMismatch || state.badInput) {
      message = text.number;
    }
    if (message) {
      field.setCustomValidity(message);
    }
  }, true);
  function clear(event) {
    if (event.target && event.target.setCustomValidity) {
      event.target.setCustomValidity('');
    }
  }
  document.addEventListener('input', clear, true);
  document.addEventListener('change', clear, true);
})();
