// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import packetwalk from './plugins/astro-packetwalk.ts';

// The walkthroughs in reading order; the sidebar lists them all.
const walkthroughs = [
  'netfilter-in-one-page',
  'what-docker-installs',
  'container-pings-the-internet',
  'container-curls-a-website',
  'container-to-container',
  'host-to-container',
  'publishing-a-port',
  'user-defined-networks',
  'tracing-packets-yourself',
  'iptables-legacy-vs-nft',
  'docker-user-done-right',
];

// PACKETWALK_PLUGIN=off builds the same pages without the plugin (bench/ compares both).
const pluginEnabled = process.env.PACKETWALK_PLUGIN !== 'off';
// PACKETWALK_ON_MISMATCH=warn shows the actual output instead of failing (while writing a page).
const onMismatch = process.env.PACKETWALK_ON_MISMATCH;

export default defineConfig({
  site: 'https://packetwalk.example',
  markdown: { processor: unified() },
  integrations: [
    starlight({
      title: 'packetwalk',
      description: 'Docker networking, packet by packet: executable walkthroughs whose every counter is checked at build time.',
      sidebar: [
        { label: 'Start here', items: ['index'] },
        { label: 'Walkthroughs', items: walkthroughs },
        { label: 'Write your own', items: ['how-packetwalk-works'] },
      ],
      customCss: ['./src/styles/packetwalk.css'],
      lastUpdated: false,
      pagination: true,
    }),
    packetwalk({ enabled: pluginEnabled, remark: onMismatch ? { onMismatch } : {} }),
  ],
});
