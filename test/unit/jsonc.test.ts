import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseJsonc, stripJsonc } from '../../src/core/jsonc';

describe('parseJsonc (tsconfig.json as written)', () => {
  it('reads comments and trailing commas, and leaves strings alone', () => {
    const text = `// a tsconfig
{
  /* block
     comment */ "compilerOptions": {
    "baseUrl": "./src", // trailing
    "paths": { "@app/*": ["src/*",], "a//b": ["/* not a comment */"], },
    "quote": "say \\"hi\\", // still a string",
  },
}`;
    assert.deepEqual(parseJsonc(text), {
      compilerOptions: {
        baseUrl: './src',
        paths: { '@app/*': ['src/*'], 'a//b': ['/* not a comment */'] },
        quote: 'say "hi", // still a string',
      },
    });
  });

  it('keeps offsets and line breaks, so positions in the stripped text are those of the original', () => {
    const text = '{ "a": 1, /* x\n y */ "b": [2,], }';
    const stripped = stripJsonc(text);
    assert.equal(stripped.length, text.length);
    assert.equal(stripped.indexOf('"b"'), text.indexOf('"b"'));
    assert.equal(stripped.split('\n').length, 2);
  });

  it('gives undefined for what is not JSONC (an unterminated comment at the end only ends the text)', () => {
    for (const text of ['{ "a": ', '{{{', '', '{ a: 1 }', '[1,,]', '{ "a": 1 } /* unterminated']) {
      assert.deepEqual(parseJsonc(text), text.endsWith('unterminated') ? { a: 1 } : undefined, JSON.stringify(text));
    }
  });
});
