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
    menu and search buttons, the search box and its script (a paper page's palette.js script has
    data-buttons; it runs in the header, so they are there at first paint), and, where the page
    calls __digest_end() in place of its footer, the footer (the line crediting arXiv and naming
    the repository), back-to-top, the dialog that says "Copied", Material's page config (its
    base is the site's root, __md_scope) and the paper's own links (__digest_paper, at the end
    of this file). Material's deferred bundle runs once the page is parsed, so it finds them
    all. -#}
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
{%- set footer -%}
<footer class="md-footer"><div class="md-footer-meta md-typeset"><div class="md-footer-meta__inner md-grid">{% include "partials/copyright.html" %}</div></div></footer>
{%- endset -%}
{%- set dialog -%}
<div class="md-dialog" data-md-component="dialog"><div class="md-dialog__inner md-typeset"></div></div>
{%- endset %}
if(document.currentScript.hasAttribute("data-buttons")){document.body.insertAdjacentHTML("afterbegin",{{ toggles | tojson }});document.querySelector(".md-header__title").insertAdjacentHTML("beforebegin",{{ menu | tojson }});document.currentScript.insertAdjacentHTML("beforebegin",{{ search | tojson }});var searchScript=document.createElement("script");searchScript.type="module";searchScript.src=new URL({{ "assets/javascripts/pagefind-search.js" | tojson }},__md_scope).href;document.currentScript.after(searchScript)}
function __digest_end(){var config={{ page_config("@", false) | tojson }};document.currentScript.insertAdjacentHTML("beforebegin",{{ footer | tojson }});__digest_paper();document.querySelector(".md-main").insertAdjacentHTML("beforeend",{{ top | tojson }});document.body.insertAdjacentHTML("beforeend",{{ dialog | tojson }}+'<script id="__config" type="application/json">'+config.replace('"@"',JSON.stringify(__md_scope.pathname))+"<\/script>")}
{% raw -%}
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
{%- endraw %}
{#- Paper pages: what __digest_end() writes into the paper from the page's own meta tags instead
    of into each of 20,000+ pages (~0.8 KB each): the edit button (before the title), the
    summary's history link, the BibTeX entry (the text of site/cite.py's bibtex(), made with its
    escapes: digest_paper, set in the site's on_env) with Material's copy button, and the
    copy-link button holding the page's canonical address. Without JavaScript a reader has the
    Cite line's link to arXiv's own BibTeX export instead, and no edit or history link. -#}
{%- set edit -%}
<a href="" title="{{ lang.t('action.edit') }}" class="md-content__button md-icon" rel="edit">{% include ".icons/" ~ (config.theme.icon.edit or "material/file-edit-outline") ~ ".svg" %}</a>
{%- endset -%}
{%- set history %} · <a href="" title="Every change to this page">history</a>{% endset -%}
{%- set copy -%}
<p><button class="md-button digest-copylink" type="button">Copy link to this page</button></p>
{%- endset %}
function __digest_paper(){
var data={{ digest_paper | tojson }},article=document.querySelector("article"),space=new RegExp("["+data.space+"]+");
function metas(name){return Array.from(document.querySelectorAll('meta[name="'+name+'"]'),function(meta){return meta.content})}
function words(text){return text.split(space).filter(Boolean)}
function tex(text){return Array.from(words(text).join(" "),function(c){return Object.prototype.hasOwnProperty.call(data.latex,c)?data.latex[c]:c}).join("")}
function ascii(word){return word.normalize("NFKD").replace(/[^A-Za-z0-9]/g,"").toLowerCase()}
var id=metas("citation_arxiv_id")[0];if(!article||!id)return;
var stem=id.replace(/\//g,"-"),title=article.querySelector("h1"),line=article.querySelector(".digest-provenance"),cite=article.querySelector(".digest-cite");
if(data.edit&&title){title.insertAdjacentHTML("beforebegin",{{ edit | tojson }});title.previousElementSibling.setAttribute("href",data.edit.join(stem))}
if(data.history&&line){line.insertAdjacentHTML("beforeend",{{ history | tojson }});line.lastElementChild.setAttribute("href",data.history.join(stem))}
if(!cite)return;
// site/cite.py's bibtex(): key, then the fields that have a value.
var name=metas("citation_title")[0]||"",authors=metas("citation_author"),year=(metas("citation_date")[0]||"").slice(0,4),
  surname=authors.length?ascii(words(authors[0]).pop()||""):"",titleWords=words(name).map(ascii),
  first=titleWords.find(function(w){return w.length>3})||titleWords.find(Boolean)||"",
  primary=cite.getAttribute("data-class")||"",
  fields=[["title",tex(name)],["author",authors.map(tex).join(" and ")],["year",year],["eprint",id],["archivePrefix","arXiv"],["primaryClass",tex(primary)],["url","https://arxiv.org/abs/"+id]],
  pre=document.createElement("pre"),canonical=document.querySelector("link[rel=canonical]");
pre.className="digest-bibtex";
pre.appendChild(document.createElement("code")).textContent="@misc{"+(surname||"arxiv")+year+first+",\n"+fields.filter(function(f){return f[1]}).map(function(f){return"  "+f[0]+"={"+f[1]+"}"}).join(",\n")+"\n}";
cite.replaceWith(pre);
if(canonical){pre.insertAdjacentHTML("afterend",{{ copy | tojson }});pre.nextElementSibling.firstChild.setAttribute("data-clipboard-text",canonical.href)}}
