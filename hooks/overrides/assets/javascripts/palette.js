{#- Rendered by MkDocs as a static template (mkdocs.yml, theme.static_templates): the palette
    form (Material 9.8's partials/palette.html) is written here, in one cached file, instead of
    into every page's HTML; without JavaScript the form does nothing anyway. This script runs
    where the header loads it, so the form is in place before Material's deferred bundle looks
    for it (data-md-component="palette"). -#}
{#- Day pages: the table of contents lists the day's papers, written from their headings
    (h2.digest-entry) where the page calls __digest_toc() after them, in Material 9.8's markup
    (partials/toc.html, toc-item.html: a day page is not in the nav, so its title is plain
    text), before Material's deferred bundle binds it (scroll-spy, toc.follow). -#}
{%- import "partials/language.html" as lang with context -%}
{%- set toc_title = (config.mdx_configs.toc or {}).title or lang.t("toc") -%}
function __digest_toc(){var nav=document.querySelector(".md-sidebar--secondary .md-nav--secondary"),heads=document.querySelectorAll("article h2.digest-entry[id]");if(!nav||!heads.length)return;var list=nav.querySelector("[data-md-component=toc]");if(!list){var title=document.createElement("div");title.className="md-nav__title";title.textContent={{ toc_title | tojson }};list=document.createElement("ul");list.className="md-nav__list";list.setAttribute("data-md-component","toc");list.setAttribute("data-md-scrollfix","");nav.append(title,list)}heads.forEach(function(head){var item=document.createElement("li"),link=document.createElement("a"),text=document.createElement("span");item.className="md-nav__item";link.className="md-nav__link";link.setAttribute("href","#"+head.id);text.className="md-ellipsis";text.textContent=head.textContent;link.append(text);item.append(link);list.append(item)})}
{#- Material's page-scope helpers first (partials/javascripts/base.html): the page loads this
    file in place of scope.js. -#}
{% include "assets/javascripts/scope.js" %}
{% set form -%}
<form class="md-header__option" data-md-component="palette">
{%- for option in config.theme.palette -%}
<input class="md-option" data-md-color-media="{{ option.media }}" data-md-color-scheme="{{ option.scheme | d('default', true) | replace(' ', '-') }}" data-md-color-primary="{{ option.primary | d('indigo', true) | replace(' ', '-') }}" data-md-color-accent="{{ option.accent | d('indigo', true) | replace(' ', '-') }}" {% if option.toggle %}aria-label="{{ option.toggle.name | e }}"{% else %}aria-hidden="true"{% endif %} type="radio" name="__palette" id="__palette_{{ loop.index0 }}">
{%- if option.toggle -%}
<label class="md-header__button md-icon" title="{{ option.toggle.name | e }}" for="__palette_{{ loop.index % loop.length }}" hidden>{% include ".icons/" ~ option.toggle.icon ~ ".svg" %}</label>
{%- endif -%}
{%- endfor -%}
</form>
{%- endset -%}
// Material 9.8's palette form and palette restore (partials/palette.html, partials/javascripts/palette.html).
document.currentScript.insertAdjacentHTML("beforebegin",{{ form | tojson }});
{#- Paper pages: the site's pages (Material's primary sidebar: the drawer on a phone), the same
    in every one of them, written where a paper page calls __digest_nav() instead of ~0.9 KB in
    each of 20,000+ pages. Links are to the site's root (__md_scope, scope.js); the logo is the
    header's. Without JavaScript a paper page has no drawer, as it has no palette or search. -#}
{%- import "partials/language.html" as lang with context -%}
{%- set site = config.site_name | e -%}
{%- set sidebar -%}
<div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation"><div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
<nav class="md-nav md-nav--primary" aria-label="{{ lang.t('nav') }}" data-md-level="0">
<label class="md-nav__title" for="__drawer"><a href="@" class="md-nav__button md-logo" aria-label="{{ site }}">@logo</a>{{ site }}</label>
<ul class="md-nav__list" data-md-scrollfix>
{%- for nav_item in nav.items -%}
<li class="md-nav__item"><a href="@{{ nav_item.url }}" class="md-nav__link">{{ nav_item.title }}</a></li>
{%- endfor -%}
</ul></nav></div></div></div>
{%- endset %}
function __digest_nav(){var logo=document.querySelector(".md-header .md-logo");document.currentScript.insertAdjacentHTML("beforebegin",{{ sidebar | tojson }}.replace(/href="@([^"]*)"/g,function(_,url){return 'href="'+new URL(url,__md_scope).pathname+'"'}).replace("@logo",logo?logo.innerHTML:""))}
{#- Paper pages: Material's controls that do nothing without JavaScript, written here once
    instead of into each of 20,000+ pages (~0.9 KB each): the drawer and search toggles and the
    drawer's overlay (before the header, where Material's styles look for them), the header's
    menu and search buttons and search box (a paper page's palette.js script has data-buttons; it runs in the
    header, so they are there at first paint), and, where the page calls __digest_end() after
    its footer, back-to-top, the dialog that says "Copied", Material's page config (its
    base is the site's root, __md_scope) and the address the copy-link button copies (the
    page's canonical link). Material's deferred bundle runs once the page is
    parsed, so it finds them all. -#}
{%- from "partials/page_config.html" import page_config with context -%}
{%- set toggles -%}
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off"><input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off"><label class="md-overlay" for="__drawer"></label>
{%- endset -%}
{%- set menu -%}
<label class="md-header__button md-icon" for="__drawer">{% include ".icons/material/menu.svg" %}</label>
{%- endset -%}
{%- set search -%}
<label class="md-header__button md-icon" for="__search">{% include ".icons/material/magnify.svg" %}</label>{% include "partials/search-box.html" %}
{%- endset -%}
{%- set top -%}
<button type="button" class="md-top md-icon" data-md-component="top" hidden>{% include ".icons/" ~ (config.theme.icon.top or "material/arrow-up") ~ ".svg" %}{{ lang.t("top") }}</button>
{%- endset -%}
{%- set dialog -%}
<div class="md-dialog" data-md-component="dialog"><div class="md-dialog__inner md-typeset"></div></div>
{%- endset %}
if(document.currentScript.hasAttribute("data-buttons")){document.body.insertAdjacentHTML("afterbegin",{{ toggles | tojson }});document.querySelector(".md-header__title").insertAdjacentHTML("beforebegin",{{ menu | tojson }});document.currentScript.insertAdjacentHTML("beforebegin",{{ search | tojson }})}
function __digest_end(){var config={{ page_config("@", false) | tojson }},canonical=document.querySelector("link[rel=canonical]"),copy=document.querySelector(".digest-copylink");if(canonical&&copy)copy.setAttribute("data-clipboard-text",canonical.href);document.querySelector(".md-main").insertAdjacentHTML("beforeend",{{ top | tojson }});document.body.insertAdjacentHTML("beforeend",{{ dialog | tojson }}+'<script id="__config" type="application/json">'+config.replace('"@"',JSON.stringify(__md_scope.pathname))+"<\/script>")}
{% raw -%}
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
{%- endraw %}
