#!/usr/bin/env python3
# Writes the SYNTHETIC Table 6 fixtures in this folder (invented areas and
# numbers, rates computed from them): python3 make_fixtures.py
import csv, io
# SYNTHETIC fixtures: invented areas and numbers imitating FBI Table 6 layouts.
def fmt(v, pad):
    if v is None: return ''
    s=f"{v:,}"
    return f" {s} " if pad else s
def rate(c,p):
    if c is None: return ''
    return f"{round(c/p*1e5+1e-9,1):,.1f}"

class T:
    def __init__(s, pad): s.rows=[]; s.pad=pad
    def name(s,n,pop,blanks=True):
        r=[n,"",fmt(pop,False)]+[""]*9
        if blanks: r[3]=" "; r[8]=" "
        s.rows.append(r)
    def lab(s,l): s.rows.append(["",l]+[""]*10)
    def counts(s,label,first,c): s.rows.append(["",label,first]+[fmt(x,s.pad) for x in c])
    def rates(s,c,p,blank=()): s.rows.append(["","Rate per 100,000 inhabitants",""]+["" if i in blank else rate(x,p) for i,x in enumerate(c)])
    def blocks(s, dc):
        # a. footnotes glued, suppressed property/burglary rates, 100% coverage
        p=170000; c=[750,7,120,140,483,None,None,2900,300]
        s.name("Alderhaven, TX M.S.A.2, 5",p); s.lab("Includes Brackwood,2 Fennel, and Quill Counties")
        s.counts("City of Alderhaven2, 5",fmt(120000,False),[600,4,100,130,366,None,None,2600,260])
        s.counts("Total area actually reporting","100.0%",c); s.rates(c,p,blank=(5,6))
        # b. M.S.A without final period, coverage below 100%, estimate
        p=650000; t=[1800,40,300,460,1000,16000,3500,11500,1000]; e=[1850,41,310,470,1029,16500,3600,11850,1050]
        s.name("Birchmoor, OH M.S.A",p); s.lab("Includes Larch4 and Summit Counties")
        s.counts("City of Birchmoor",fmt(190000,False),[1300,35,200,380,685,8000,2200,5000,800])
        s.counts("Total area actually reporting","96.3%",t); s.counts("Estimated total","100.0%",e); s.rates(e,p)
        s.rows.append([""]*12)
        # c. divided M.S.A. with two M.D.s; digits inside the state part
        st = "DC-VA-MD5-WV" if dc else "PA-NJ"
        p1,p2=1200000,800000; m1=[4000,40,300,1500,2160,30000,6000,20000,4000]; m2=[2000,10,200,600,1190,15000,3000,10000,2000]
        tot=[a+b for a,b in zip(m1,m2)]
        s.name(f"Cobalt City-Dunmore, {st} M.S.A.2,3",p1+p2,False); s.lab("Includes Metropolitan Divisions of Cobalt City and Dunmore")
        s.counts("City of Cobalt City",fmt(600000,False),[3000,30,200,1200,1570,20000,4000,13000,3000])
        s.counts("City of Dunmore3",fmt(150000,False),[900,5,60,300,535,6000,1200,4000,800])
        s.counts("Total area actually reporting","100.0%",tot); s.rates(tot,p1+p2)
        s.name("Cobalt City, PA M.D.",p1,False); s.lab("Includes Ashgrove and Cobalt Counties")
        s.counts("Total area actually reporting","100.0%",m1); s.rates(m1,p1)
        s.name("Dunmore, NJ M.D.4",p2,False); s.lab("Includes Dunmore and Prince Ferdinand's4 Counties")
        s.counts("Total area actually reporting","100.0%",m2); s.rates(m2,p2)
        # d. only an "Estimated total" row (as Flint, MI in 2015 and 2017)
        p=400000; e=[2400,50,260,440,1650,10000,2900,6500,600]
        s.name("Elmstead, MN-WI M.S.A.",p); s.lab("Includes Genista County")
        s.counts("City of Elmstead",fmt(95000,False),[1400,40,70,260,1030,3500,1300,1900,300])
        s.counts("Estimated total","100.0%",e); s.rates(e,p)
        # e. exchanged labels (as Portland, OR-WA in 2008)
        p=2100000; t=[6300,40,800,1900,3560,70000,10500,52000,7500]; e=[6350,40,806,1915,3589,70600,10600,52400,7600]
        s.name("Foxglen, OR-WA M.S.A.",p); s.lab("Includes Clover, Marram, and Yarrow Counties, OR and Sedge County, WA")
        s.counts("City of Foxglen, OR",fmt(550000,False),[3400,25,240,1100,2035,29000,4300,21500,3200])
        s.counts("Estimated total","98.9%",t); s.counts("Total area actually reporting","100.0%",e); s.rates(e,p)
        # f. Puerto Rico, no principal city, suppressed violent and rape
        p=120000; c=[220,25,10,90,95,970,380,520,70]
        s.name("Gallberry, Puerto Rico M.S.A.",p,False); s.lab("Includes Gallberry and Hollin\nMunicipios")
        s.counts("Total area actually reporting","100.0%",c); s.rates(c,p,blank=(0,2))
    def legend(s):
        for l in ["1 The figures shown in this column for the offense of rape were reported using only the revised Uniform Crime Reporting (UCR) definition of rape. See the data declaration for further explanation. ",
          "2 Because of changes in the state/local agency's reporting practices, figures are not comparable to previous years' data.",
          "3 The FBI determined that the agency's data were overreported. Consequently, those data are not included in this table.",
          "4 One or more agency(s) within this Metropolitan Statistical Area submitted rape data classified according to the legacy UCR definition.",
          "5 The FBI determined that the agency's data were underreported. Consequently, those data are not included in this table."]:
            s.rows.append([l]+[""]*11)
    def write(s, path, bom=False):
        out=io.StringIO(); csv.writer(out,lineterminator='\n').writerows(s.rows)
        open(path,'wb').write((b'\xef\xbb\xbf' if bom else b'')+out.getvalue().encode())

t=T(True)
t.rows=[["Table 6"]+[""]*11,["Crime in the United States (SYNTHETIC test fixture: invented areas and numbers)"]+[""]*11,["by Metropolitan Statistical Area, 2017"]+[""]*11,
 ["Metropolitan Statistical Area","Counties/principal cities","Population","Violent\ncrime","Murder and\nnonnegligent\nmanslaughter","Rape1","Robbery","Aggravated\nassault","Property\ncrime","Burglary","Larceny-\ntheft","Motor\nvehicle\ntheft"]]
t.blocks(False); t.legend(); t.write('table6_2017_layout.csv')

# The FBI's 2019 CSV export: UTF-8 BOM, header only, no title rows, plain
# headings, unpadded numbers.
t=T(False)
t.rows=[["Metropolitan Statistical Area","Counties/principal cities","Population","Violent crime","Murder and nonnegligent manslaughter","Rape1","Robbery","Aggravated assault","Property crime","Burglary","Larceny-theft","Motor vehicle theft"]]
t.blocks(True); t.legend(); t.rows.append(["SYNTHETIC test fixture: invented areas and numbers."]+[""]*11); t.write('table6_2019_export.csv', bom=True)

# Bad inputs: each must give a clear error.
rows=list(csv.reader(open('table6_2017_layout.csv')))
cut=next(i for i,r in enumerate(rows) if r[1]=='Estimated total')+1  # Birchmoor without its rate row
csv.writer(open('bad/truncated_midblock.csv','w'),lineterminator='\n').writerows(rows[:cut])
open('bad/empty.csv','w').close()
open('bad/national_series.csv','w').write('''rownames,year,population,total,violent,property,murder,forcible_rape,robbery,aggravated_assault,burglary,larceny_theft,vehicle_theft
1,1990,1000000,5000,600,4400,8,40,200,352,1000,3000,400
2,1991,1010000,5100,610,4490,9,41,205,355,1010,3070,410
''')
open('bad/omb_delineation.csv','w').write('''List 1. CORE BASED STATISTICAL AREAS (CBSAs) AND COMBINED STATISTICAL AREAS (CSAs) (SYNTHETIC test fixture),,,,
,,,,
CBSA Code,CBSA Title,Metropolitan/Micropolitan Statistical Area,County/County Equivalent,State Name
99010,"Alderhaven, TX",Metropolitan Statistical Area,Brackwood County,Texas
99010,"Alderhaven, TX",Metropolitan Statistical Area,Fennel County,Texas
''')
open('bad/table8_city.csv','w').write('''Table 8,,,,
"Offenses Known to Law Enforcement (SYNTHETIC test fixture)",,,,
"by State by City, 2017",,,,
State,City,Population,Violent crime,Murder and nonnegligent manslaughter
TEXAS,Alderhaven,"120,000",600,4
''')
b=open('table6_2019_export.csv','rb').read()
open('bad/latin1_2019.csv','wb').write(b.replace(b'Gallberry, Puerto Rico', 'Gallberr\xf3n, Puerto Rico'.encode('latin-1'), 1))
