import { Clock } from '../clock.js';
import { MemoryReactor, MemoryReactorClock } from '../memory-reactor.js';
import { defineReactorCoreTests } from './core.js';
import { memoryStreamSetup } from './memory-stream.js';
import { defineStreamTransportTests } from './stream.js';
import { defineReactorTimeTests } from './time.js';

defineReactorTimeTests({
  name: 'Clock',
  virtualTime: true,
  makeReactor: () => new Clock(),
  advance: (clock, seconds) => clock.advance(seconds),
});

defineReactorTimeTests({
  name: 'MemoryReactorClock',
  virtualTime: true,
  makeReactor: () => new MemoryReactorClock(),
  advance: (reactor, seconds) => reactor.advance(seconds),
});

defineReactorCoreTests({ name: 'MemoryReactor', makeReactor: () => new MemoryReactor() });

defineStreamTransportTests(memoryStreamSetup());
