import { describe, expect, it } from 'vitest';
import { timeMethods } from './overhead.ts';

/** A clock the test moves by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('timeMethods (the mock\'s share of the run, bench/overhead.ts)', () => {
  it('adds the time of each call, and counts the calls', () => {
    const clock = fakeClock();
    class A {
      work(ms: number): number {
        clock.advance(ms);
        return ms * 2;
      }
    }
    const timed = timeMethods([{ proto: A.prototype, name: 'work' }], clock.now);
    try {
      const a = new A();
      expect(a.work(3)).toBe(6);
      expect(a.work(4)).toBe(8);
      expect(timed.ms()).toBe(7);
      expect(timed.calls()).toBe(2);
    } finally {
      timed.restore();
    }
  });

  it('counts a wrapped call made inside another once, in the outer one', () => {
    const clock = fakeClock();
    class Inner {
      step(): void {
        clock.advance(2);
      }
    }
    const inner = new Inner();
    class Outer {
      run(): void {
        clock.advance(1);
        inner.step();
        clock.advance(1);
      }
    }
    const timed = timeMethods([{ proto: Outer.prototype, name: 'run' }, { proto: Inner.prototype, name: 'step' }], clock.now);
    try {
      new Outer().run();
      inner.step();
      expect(timed.ms()).toBe(6);
      expect(timed.calls()).toBe(2);
    } finally {
      timed.restore();
    }
  });

  it('times an async method up to its first await only', async () => {
    const clock = fakeClock();
    class B {
      async go(): Promise<string> {
        clock.advance(5);
        await Promise.resolve();
        clock.advance(100);
        return 'done';
      }
    }
    const timed = timeMethods([{ proto: B.prototype, name: 'go' }], clock.now);
    try {
      await expect(new B().go()).resolves.toBe('done');
      expect(timed.ms()).toBe(5);
    } finally {
      timed.restore();
    }
  });

  it('counts a call that throws, and rethrows', () => {
    const clock = fakeClock();
    class C {
      fail(): never {
        clock.advance(2);
        throw new Error('boom');
      }
    }
    const timed = timeMethods([{ proto: C.prototype, name: 'fail' }], clock.now);
    try {
      expect(() => new C().fail()).toThrow('boom');
      expect(timed.ms()).toBe(2);
      // The depth guard was released: the next call is timed too.
      expect(() => new C().fail()).toThrow('boom');
      expect(timed.ms()).toBe(4);
    } finally {
      timed.restore();
    }
  });

  it('puts the original methods back', () => {
    class D {
      f(): number {
        return 1;
      }
    }
    const original = D.prototype.f;
    const timed = timeMethods([{ proto: D.prototype, name: 'f' }]);
    expect(D.prototype.f).not.toBe(original);
    timed.restore();
    expect(D.prototype.f).toBe(original);
    expect(new D().f()).toBe(1);
  });

  it('refuses a name that is not a method', () => {
    expect(() => timeMethods([{ proto: {}, name: 'missing' }])).toThrow(/missing is not a method/);
  });
});
