// Fixture: a preload that throws before exposing its bridge (STARTUP_FAULT=preload-throw).
throw new Error('startup preload: cannot reach the backend socket');
