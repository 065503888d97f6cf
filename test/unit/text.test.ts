import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { splitLines } from '../../src/agents/shared/textLines';
import { LineIndex } from '../../src/core/text';

/** The definition both fast paths must agree with: "\r\n", "\n" and a lone "\r" each end a line. */
function referenceStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** Deterministic texts mixing the three line breaks, empty lines and a missing final break. */
function texts(): string[] {
  const pieces = ['a', 'bc', '', ' ', '\n', '\r\n', '\r', '\n\n', 'x\r\ny'];
  const out = ['', '\n', '\r', '\r\n', 'no break', 'a\nb', 'a\r\nb\r\n', 'a\rb\nc\r\n'];
  let seed = 7;
  for (let n = 0; n < 200; n++) {
    let text = '';
    for (let k = 0; k < 12; k++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      text += pieces[seed % pieces.length];
    }
    out.push(text);
  }
  return out;
}

describe('line splitting', () => {
  it('LineIndex and splitLines agree with the reference on every kind of line break', () => {
    for (const text of texts()) {
      const starts = referenceStarts(text);
      const index = new LineIndex(text);
      assert.equal(index.lineCount, starts.length, JSON.stringify(text));
      starts.forEach((start, i) => assert.equal(index.lineStart(i + 1), start, JSON.stringify(text)));
      const lines = splitLines(text);
      assert.deepEqual(lines.map((l) => l.start), starts, JSON.stringify(text));
      for (const line of lines) {
        assert.ok(!/[\r\n]/.test(text.slice(line.start, line.end)), `line content holds no break in ${JSON.stringify(text)}`);
        assert.ok(/^(\r\n|\r|\n|)$/.test(text.slice(line.end, line.next)), `one break between lines in ${JSON.stringify(text)}`);
      }
    }
  });

  it('positions are 1-based and count UTF-16 code units', () => {
    const index = new LineIndex('a😀b\r\ncd');
    assert.deepEqual(index.positionAt(3), { line: 1, column: 4 });
    assert.deepEqual(index.positionAt(6), { line: 2, column: 1 });
    assert.equal(index.offsetAt({ line: 2, column: 2 }), 7);
  });
});
