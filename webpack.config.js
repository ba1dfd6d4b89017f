// The page: www/ -> dist/. The wasm-bindgen glue (--target web) fetches its .wasm through
// `new URL(..., import.meta.url)`, which webpack 5 emits as an asset; the worker likewise.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  mode: 'production',
  entry: { main: './www/main.js' },
  output: {
    path: path.join(here, 'dist'),
    filename: '[name].[contenthash:8].js',
    assetModuleFilename: '[name].[contenthash:8][ext]',
    clean: true,
  },
  performance: { hints: false },
  plugins: [
    new HtmlWebpackPlugin({ template: './www/index.html', filename: 'index.html', inject: 'body', scriptLoading: 'module' }),
  ],
};
