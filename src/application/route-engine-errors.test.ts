import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setUnhandledErrorReporter } from '../internet/defer.js';
import { reportError } from '../internet/error-reporter.js';
import { capturedLogs } from '../logger/capture.js';
import { routeEngineErrorsToLogger } from './route-engine-errors.js';

describe('routeEngineErrorsToLogger', () => {
  it('logs errors the reactor reports as critical failures naming the context', () => {
    const logs = capturedLogs();
    const restore = routeEngineErrorsToLogger();
    try {
      reportError(new Error('callback blew up'), 'dataReceived');
    } finally {
      restore();
      logs.restore();
    }
    assert.equal(logs.events.length, 1);
    assert.equal(logs.events[0]?.logNamespace, 'twisted-ts.internet');
    assert.equal(logs.events[0]?.logLevel, 'critical');
    assert.equal(logs.messages()[0], 'Unhandled error in dataReceived');
    assert.equal(logs.events[0]?.logFailure?.message, 'callback blew up');
  });

  it('logs failed Deferreds nobody handled, with the creation stack when debugging', () => {
    const logs = capturedLogs();
    const restore = routeEngineErrorsToLogger();
    try {
      // The reporter the Deferred module calls on garbage collection is the one we installed.
      const installed = setUnhandledErrorReporter(() => {});
      setUnhandledErrorReporter(installed);
      installed(new Error('nobody handled me'), 'at somewhere (file.ts:1:1)');
    } finally {
      restore();
      logs.restore();
    }
    assert.deepEqual(logs.messages(), ['Unhandled error in Deferred']);
    assert.equal(logs.events[0]?.logFailure?.message, 'nobody handled me');
    assert.equal(logs.events[0]?.creationStack, 'at somewhere (file.ts:1:1)');
  });

  it('restores the previous reporter', () => {
    const restore = routeEngineErrorsToLogger();
    restore();
    const logs = capturedLogs();
    const original = console.error;
    console.error = () => {};
    try {
      reportError(new Error('to console'), 'test');
    } finally {
      console.error = original;
      logs.restore();
    }
    assert.equal(logs.events.length, 0);
  });
});
