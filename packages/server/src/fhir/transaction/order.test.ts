import { describe, expect, it } from 'vitest';
import { orderEntries } from './order.ts';

describe('orderEntries', () => {
  it('puts DELETE, POST, PUT/PATCH, GET in that order', () => {
    expect(orderEntries(['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])).toEqual([3, 2, 1, 4, 0]);
  });

  it('keeps the original order inside a group', () => {
    expect(orderEntries(['POST', 'GET', 'POST', 'POST'])).toEqual([0, 2, 3, 1]);
  });

  it('sends unknown methods last', () => {
    expect(orderEntries(['TRACE', 'GET'])).toEqual([1, 0]);
  });
});
