/**
 * The `eigenflow view` page: one self-contained HTML document (uPlot's script and CSS inlined
 * from node_modules, no network) that fetches `/data` and draws one chart per metric with every
 * run overlaid. uPlot gives the hover read-out (legend values), crosshair and drag-to-zoom
 * (double-click resets); the page adds EMA smoothing, x by step or wall-clock time, log toggles
 * per axis, CSV and PNG export per chart, array metrics drawn by their declared kind, and for
 * sweeps a summary table (mean ± 95% interval per metric) sortable by any column whose rows open
 * their seeds' runs, with each metric's mean against a swept parameter and the 95% band.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** uPlot's minified script and stylesheet from node_modules, for inlining into a page. */
export function uplotAssets(): { js: string; css: string } {
  const dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
  return { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
}

const SCRIPT = String.raw`
const COLORS=['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b','#e377c2','#17becf','#7f7f7f','#bcbd22'];
const $=(s)=>document.querySelector(s);
const el=(tag,attrs,...kids)=>{const e=document.createElement(tag);for(const k in attrs||{}){if(k==='on')for(const ev in attrs.on)e.addEventListener(ev,attrs.on[ev]);else e.setAttribute(k,attrs[k]);}for(const c of kids)e.append(c);return e;};
let DATA=null;const charts=[];const state={smooth:0,x:'step',only:null,what:''};
function ema(vs,a){if(!a)return vs;let m=null,out=[];for(const v of vs){if(v===null||!Number.isFinite(v)){out.push(v);continue;}m=m===null?v:a*m+(1-a)*v;out.push(m);}return out;}
/** Merge runs' (x, y) lists onto one sorted x array (uPlot's aligned data), nulls where a run has no point. */
function align(lists){const xs=[...new Set(lists.flatMap((l)=>l.x))].filter(Number.isFinite).sort((a,b)=>a-b);const idx=new Map(xs.map((x,i)=>[x,i]));
  return [xs,...lists.map((l)=>{const ys=new Array(xs.length).fill(null);l.x.forEach((x,i)=>{const j=idx.get(x);if(j!==undefined)ys[j]=l.y[i];});return ys;})];}
function safeLog(ys){return ys.map((v)=>v!==null&&v>0?v:null);}
function chartBox(title){const box=el('div',{class:'chart'});const head=el('div',{class:'head'},el('b',{},title));box.append(head);$('#charts').append(box);return {box,head};}
function makeChart(title,runs,getXY,xLabel,logDefault,logXDefault){
  const {box,head}=chartBox(title);
  const st={logX:!!logXDefault,logY:!!logDefault};
  const tog=(name,key)=>{const c=el('input',{type:'checkbox'});c.checked=st[key];c.addEventListener('change',()=>{st[key]=c.checked;draw();});return el('label',{},c,' '+name);};
  const csv=el('button',{on:{click:()=>download(title+'.csv',toCsv())}},'CSV');
  const png=el('button',{on:{click:()=>{const cv=box.querySelector('canvas');const a=el('a',{href:cv.toDataURL('image/png'),download:title.replace(/[^A-Za-z0-9._-]+/g,'_')+'.png'});a.click();}}},'PNG');
  head.append(tog('log x','logX'),tog('log y','logY'),csv,png);
  const holder=el('div',{class:'plot'});box.append(holder);
  let u=null,data=null;
  function toCsv(){const rows=[['x',...runs.map((r)=>r.label)].join(',')];for(let i=0;i<data[0].length;i++)rows.push(data.map((c)=>c[i]===null?'':c[i]).join(','));return rows.join('\n')+'\n';}
  function draw(){
    const lists=runs.map((r)=>getXY(r));data=align(lists);
    if(st.logY)data=[data[0],...data.slice(1).map(safeLog)];
    if(st.logX){const keep=data[0].map((x)=>x>0);data=data.map((c)=>c.filter((_,i)=>keep[i]));}
    const width=Math.max(300,holder.clientWidth||box.clientWidth||600);
    const opts={width,height:280,scales:{x:{time:xLabel==='time',distr:st.logX?3:1},y:{distr:st.logY?3:1}},
      axes:[{label:xLabel},{size:70}],legend:{live:true},cursor:{drag:{x:true,y:true,uni:20}},
      series:[{label:xLabel},...runs.map((r,i)=>({label:r.label,stroke:COLORS[i%COLORS.length],width:1.5,spanGaps:true,points:{show:data[0].length<60}}))]};
    if(u)u.destroy();u=new uPlot(opts,data,holder);charts.push(u);box.dataset.logx=st.logX?'1':'0';box.dataset.logy=st.logY?'1':'0';box.dataset.points=String(data[0].length);
  }
  draw();
  return {redraw:draw,box};
}
function download(name,text){const a=el('a',{href:URL.createObjectURL(new Blob([text],{type:'text/csv'})),download:name.replace(/[^A-Za-z0-9._-]+/g,'_')});a.click();}
/** A square row-major matrix as a heatmap (blue below the middle of its range, red above), with its range as a colour bar legend. */
function heatmap(ref,vals){const n=Math.round(Math.sqrt(vals.length));if(n*n!==vals.length||n===0)return false;
  const fin=vals.filter((v)=>v!==null&&Number.isFinite(v));if(!fin.length)return false;let lo=Math.min(...fin),hi=Math.max(...fin);if(hi===lo){hi=lo+1;}
  const {box,head}=chartBox(ref+' (last value, '+n+'×'+n+' matrix)');box.dataset.kind='matrix';box.dataset.metric=ref;
  const cv=el('canvas',{width:String(n),height:String(n),style:'width:280px;height:280px;image-rendering:pixelated;border:1px solid #ccc'});const g=cv.getContext('2d');const img=g.createImageData(n,n);
  vals.forEach((v,i)=>{const t=v===null||!Number.isFinite(v)?null:(v-lo)/(hi-lo);const o=4*i;if(t===null){img.data[o+3]=0;return;}
    const a=Math.abs(2*t-1);img.data[o]=t>0.5?255:Math.round(255*(1-a));img.data[o+1]=Math.round(255*(1-a));img.data[o+2]=t<0.5?255:Math.round(255*(1-a));img.data[o+3]=255;});
  g.putImageData(img,0,0);box.append(cv,el('div',{class:'hint'},'row i, column j; blue '+fmtN(lo)+' … red '+fmtN(hi)));return true;}
function render(){
  charts.length=0;$('#charts').innerHTML='';
  const runs=DATA.runs.filter((r)=>!state.only||state.only.includes(r.dir));
  $('#showing').textContent=state.only?'showing '+(runs.length===1?'one run':runs.length+' runs')+(state.what?' of '+state.what:'')+' — ':'';
  $('#all').style.display=state.only?'':'none';
  const refs=[...new Set(runs.flatMap((r)=>Object.keys(r.series)))].sort();
  const a=Number(state.smooth);
  for(const ref of refs){const rs=runs.filter((r)=>r.series[ref]);
    makeChart(ref,rs,(r)=>{const s=r.series[ref];const x=state.x==='time'?s.times.map((t)=>t/1000):s.steps;return {x,y:ema(s.values,a)};},state.x==='time'?'time':'step',rs.every((r)=>r.series[ref].values.every((v)=>v===null||v>0)));}
  const arrays=[...new Set(runs.flatMap((r)=>Object.keys(r.arrays)))].sort();
  for(const ref of arrays){const rs=runs.filter((r)=>r.arrays[ref]);const kind=(rs.find((r)=>r.kinds&&r.kinds[ref])||{kinds:{}}).kinds[ref]||'array';
    if(kind==='matrix'&&rs.length===1&&heatmap(ref,rs[0].arrays[ref]))continue;
    // A spectrum (array) is drawn log-log against rank 1…n; an indexed sequence (series: a kernel,
    // per-feature values) against its index from 0, linear, so K₀ and signs stay visible.
    const spectrum=kind==='array';const positive=rs.every((r)=>r.arrays[ref].every((v)=>v===null||v>0));
    const c=makeChart(ref+(spectrum?' (last value, by rank)':' (last value, by index)'),rs,(r)=>({x:r.arrays[ref].map((_,i)=>spectrum?i+1:i),y:r.arrays[ref]}),spectrum?'rank':'index',spectrum&&positive,spectrum);
    c.box.dataset.kind=kind;c.box.dataset.metric=ref;}
  const sc=$('#scalars');sc.innerHTML='';const sref=[...new Set(runs.flatMap((r)=>Object.keys(r.scalars)))].sort();
  if(sref.length){const t=el('table',{},el('tr',{},el('th',{},'run'),...sref.map((k)=>el('th',{},k))));for(const r of runs)t.append(el('tr',{},el('td',{},r.label),...sref.map((k)=>el('td',{},r.scalars[k]===undefined?'':String(r.scalars[k])))));sc.append(el('h3',{},'one-off values'),t);}
}
const fmtN=(v)=>v===null||v===undefined?'':String(Number(v.toPrecision(4)));
/** Show only these run directories (a sweep point's seeds, or one run), or every run when null. */
function openRuns(dirs,what){state.only=dirs;state.what=what;render();scrollTo(0,$('#charts').offsetTop);}
function sweepTable(s){
  const names=s.paramNames;const refs=[...new Set(s.points.flatMap((p)=>Object.keys(p.metrics)))].sort();
  const half=(m)=>m&&m.ci95?(m.ci95[1]-m.ci95[0])/2:null;
  const seedText=(m)=>Object.entries(m.values).map(([k,v])=>(k==='default'?'':'seed '+k+': ')+fmtN(v)).join(', ');
  const cols=[...names.map((n)=>({h:n,get:(p)=>p.point[n]})),
    {h:'status',get:(p)=>p.completed===p.runs?'completed':p.completed+'/'+p.runs+' completed'},
    {h:'seeds',get:(p)=>p.completed},
    ...refs.map((k)=>({h:k+' (mean ± 95%)',get:(p)=>p.metrics[k]?p.metrics[k].mean:null,
      show:(p)=>{const m=p.metrics[k];if(!m||m.mean===null)return '';const h=half(m);return fmtN(m.mean)+(h===null?'':' ± '+fmtN(h));},
      title:(p)=>{const m=p.metrics[k];if(!m)return '';return 'n = '+m.n+(m.sd===null?'':', sd '+fmtN(m.sd)+', se '+fmtN(m.se))+(m.ci95?', 95% interval ['+fmtN(m.ci95[0])+', '+fmtN(m.ci95[1])+']':'')+'\n'+seedText(m);}}))];
  let sortBy=-1,dir=1;const t=el('table',{class:'sweep'});
  const cmp=(x,y)=>x===y?0:x===undefined||x===null?1:y===undefined||y===null?-1:x<y?-1:1;
  const fill=()=>{t.innerHTML='';t.append(el('tr',{},...cols.map((c,i)=>el('th',{on:{click:()=>{dir=sortBy===i?-dir:1;sortBy=i;fill();}}},c.h+(sortBy===i?(dir>0?' ▲':' ▼'):'')))));
    const ps=[...s.points];if(sortBy>=0)ps.sort((a,b)=>{const x=cols[sortBy].get(a),y=cols[sortBy].get(b);return x===null||x===undefined||y===null||y===undefined?cmp(x,y):cmp(x,y)*dir;});
    for(const p of ps){const dirs=p.seeds.map((r)=>r.dir);
      const tr=el('tr',{class:dirs.length?'link':''},...cols.map((c)=>{const v=c.show?c.show(p):c.get(p);const td=el('td',{},v===undefined||v===null?'':typeof v==='number'?fmtN(v):String(v));if(c.title)td.title=c.title(p);return td;}));
      if(dirs.length)tr.addEventListener('click',()=>openRuns(dirs,names.map((n)=>n+'='+JSON.stringify(p.point[n])).join(', ')));t.append(tr);}};
  fill();
  const box=el('section',{class:'sweepbox'},el('h2',{},'sweep '+s.name),el('p',{class:'hint'},'one row per point: mean ± half-width of the 95% interval over its seeds'+(s.reduction?' (stepped metrics reduced by '+s.reduction+')':'')+'; hover a cell for sd, se and the per-seed values; click a column to sort, a row to open its runs'),t);
  $('#sweeps').append(box); // in the page before the charts are sized by it
  // Each metric's mean against the first numeric parameter, one line per combination of the other
  // parameters, with the 95% interval over seeds from summary.json as a band. Click a point to open its runs.
  const x=names.find((n)=>s.points.every((p)=>typeof p.point[n]==='number'));
  const others=names.filter((n)=>n!==x);
  if(x)for(const ref of refs){const ps=s.points.filter((p)=>p.metrics[ref]&&p.metrics[ref].mean!==null);if(ps.length<2)continue;
    const xs=[...new Set(ps.map((p)=>p.point[x]))].sort((a,b)=>a-b);
    const groups=new Map();for(const p of ps){const k=others.map((n)=>n+'='+JSON.stringify(p.point[n])).join(', ');if(!groups.has(k))groups.set(k,[]);groups.get(k).push(p);}
    const data=[xs];const series=[{label:x}];const bands=[];const pointAt=[];
    [...groups].forEach(([k,gp],gi)=>{const at=(xv)=>gp.find((p)=>p.point[x]===xv);
      const mean=xs.map((xv)=>at(xv)?at(xv).metrics[ref].mean:null);
      const lo=xs.map((xv)=>{const p=at(xv);return p&&p.metrics[ref].ci95?p.metrics[ref].ci95[0]:null;});
      const hi=xs.map((xv)=>{const p=at(xv);return p&&p.metrics[ref].ci95?p.metrics[ref].ci95[1]:null;});
      const color=COLORS[gi%COLORS.length];const m=data.length;const banded=lo.some((v)=>v!==null);
      data.push(mean);series.push({label:(k||ref)+(banded?' (mean, 95% band over seeds)':''),stroke:color,width:1.5,points:{show:true,size:7}});pointAt.push(xs.map(at));
      if(banded){data.push(lo,hi);series.push({label:'95% low',stroke:'transparent'},{label:'95% high',stroke:'transparent'});bands.push({series:[m+2,m+1],fill:color+'33'});}});
    const holder=el('div',{class:'plot'});const chart=el('div',{class:'chart sweepplot','data-metric':ref,'data-bands':String(bands.length)},el('div',{class:'head'},el('b',{},ref+' against '+x)),holder);box.append(chart);
    const u=new uPlot({width:Math.max(300,(box.clientWidth||700)-20),height:260,scales:{x:{time:false}},axes:[{label:x},{size:70}],series,bands},data,holder);charts.push(u);
    u.over.addEventListener('click',()=>{const i=u.cursor.idx;if(i===null||i===undefined)return;const dirs=pointAt.flatMap((g)=>g[i]?g[i].seeds.map((r)=>r.dir):[]);if(dirs.length)openRuns(dirs,x+'='+xs[i]);});}
}
async function main(){
  DATA=await (await fetch('data')).json();
  document.title='eigenflow view — '+DATA.title;$('#title').textContent=DATA.title;
  $('#smooth').addEventListener('input',(e)=>{state.smooth=e.target.value;$('#sv').textContent=Number(e.target.value).toFixed(2);render();});
  $('#xaxis').addEventListener('change',(e)=>{state.x=e.target.value;render();});
  $('#all').addEventListener('click',()=>{state.only=null;state.what='';render();});
  for(const s of DATA.sweeps)sweepTable(s);
  render();
  document.body.dataset.ready='1';
}
main().catch((e)=>{document.body.append(el('pre',{},String(e&&e.stack||e)));document.body.dataset.ready='error';});
`;

export function viewPage(): string {
  const { js, css } = uplotAssets();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>eigenflow view</title>
<style>${css}
body{font:14px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#222}
header{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #ddd;padding:10px 18px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
main{padding:12px 18px;display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:14px}
#charts{display:contents}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}
.head{display:flex;gap:10px;align-items:center;margin-bottom:4px;flex-wrap:wrap}.head b{flex:1}
.sweepbox{grid-column:1/-1;background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}th{cursor:pointer;background:#f0f0f0}
tr.link{cursor:pointer}tr.link:hover{background:#eef5ff}.hint{color:#666;margin:2px 0 8px}
#scalars{grid-column:1/-1}
</style></head><body>
<header><b id="title">eigenflow view</b>
<label>smoothing (EMA) <input id="smooth" type="range" min="0" max="0.99" step="0.01" value="0"> <span id="sv">0.00</span></label>
<label>x <select id="xaxis"><option value="step">step</option><option value="time">wall-clock time</option></select></label>
<span id="showing"></span><button id="all" style="display:none">show all runs</button>
<span class="hint">drag to zoom, double-click to reset</span></header>
<main><div id="sweeps" style="display:contents"></div><div id="charts"></div><div id="scalars"></div></main>
<script>${js}</script>
<script>${SCRIPT}</script>
</body></html>`;
}
