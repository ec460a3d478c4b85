// Fixture: a main script with a syntax error (the launch must say so and show node's message).
const { app } = require('electron');
app.whenReady().then(() => {
  const x = ;
});
