'use strict';
// What `require('electron')` returns in an app's main process under the stand-in.
module.exports = require('./runtime.cjs').electronModule;
